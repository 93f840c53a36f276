/* cxassess offline self-assessment form.
   Renders the question bank embedded in the page (#cx-form-bank) into #cx-form, one clause at a
   time; answers are kept in this browser (localStorage) and exported as an answers file that
   `cxassess validate` accepts. Plain JavaScript, no libraries, nothing fetched from anywhere.
   Bank and user text are data: every text goes in with textContent or .value, never as markup. */
(() => {
  "use strict";

  const root = document.getElementById("cx-form");
  const source = document.getElementById("cx-form-bank");
  if (!root || !source) return;

  const STRINGS = {
    en: {
      bad_bank: "The question bank in this page cannot be read; the form is not available.",
      organisation: "Organisation",
      org_id: "Identifier",
      org_id_help: "Lowercase letters, digits, '.', '_' or '-'; also the name of the exported file.",
      org_id_bad: "Use only lowercase letters, digits, '.', '_' or '-', starting with a letter or digit (at most 80).",
      org_name: "Name",
      sector: "Sector (optional)",
      assessment: "Assessment",
      title: "Title",
      date: "Date",
      assessors: "Assessors (one per line)",
      scope: "Scope (optional)",
      progress: "{n} / {total} answered",
      clause: "Clause",
      nav_top: "Clauses (top)",
      nav_bottom: "Clauses (bottom)",
      clause_of: "Clause {i} of {n}",
      prev: "Previous clause",
      next: "Next clause",
      level: "Level",
      pick_all: "Answer (pick every one that applies)",
      na: "Not applicable",
      unset: "Clear this answer",
      reason: "Reason why it does not apply (required)",
      reason_kept: "Reason why it does not apply (kept; needed only for “not applicable”)",
      reason_missing: "Give the reason why this question does not apply.",
      evidence: "Evidence (one item per line)",
      note: "Note",
      finding: "Finding",
      finding_none: "(none)",
      decided_by: "Decided by (optional)",
      record_kept: "This finding carries a full record (requirement, evidence, action, owner, due, status); it is kept as it is.",
      findings: {
        conforming: "Conforming",
        observation: "Observation",
        ofi: "Opportunity for improvement",
        minor: "Minor nonconformity",
        major: "Major nonconformity",
      },
      export: "Export answers",
      import: "Import answers…",
      clear: "Clear all",
      dirty: "Changes not yet exported.",
      clean: "No changes since the last export or import.",
      stored: "Answers are saved in this browser as you type.",
      storage_off: "This browser does not let the form keep answers: export them before leaving the page.",
      storage_bad: "The answers saved in this browser could not be read and were set aside.",
      set_aside: "{n} answers saved in this browser no longer fit this bank (a question was removed or its levels changed): {ids}. They are kept here and written as comments at the end of the export.",
      confirm_clear: "Delete every answer in this form? This cannot be undone (export first to keep a copy).",
      confirm_import: "Replace the answers in this form with those in {file}?",
      cleared: "The form is empty again.",
      export_blocked: "Not exported yet. Please fix:",
      missing_id: "Organisation identifier is missing.",
      missing_name: "Organisation name is missing.",
      missing_title: "Assessment title is missing.",
      missing_date: "Assessment date is missing or not a valid date (YYYY-MM-DD).",
      na_reason: "{q} (clause {c}): not applicable needs a reason.",
      rule_knockout_na: "{q} (clause {c}): a knock-out question always applies: give it a level, not “not applicable”.",
      rule_needs_shall: "{q} (clause {c}): a {grade} needs a “shall” provision; this question covers “{strength}” provisions only: grade it an observation or an opportunity for improvement.",
      rule_preset: "{q} (clause {c}): a {grade} needs a question that applies; the preset “{preset}” leaves this one out.",
      rule_needs_level: "{q} (clause {c}): a {grade} needs a level (0–{top}).",
      rule_no_shortfall: "{q} (clause {c}): a {grade} on level {level}, at or above its target {target}: there is no shortfall to grade.",
      rule_major_high: "{q} (clause {c}): a major nonconformity cannot stand on level {level} (4 or more).",
      rule_before_date: "{q} (clause {c}): the finding’s {key} date {when} is before the assessment date {day}.",
      too_long: "{what} is longer than 20,000 characters.",
      exported: "Exported {file}. Check it with: cxassess validate {file}",
      import_done: "Imported {file}: {n} of {total} questions answered.",
      import_problems: "Some parts of {file} were not imported:",
      import_failed: "{file} was not imported:",
      import_kept: "Kept as they are and written again on export: {keys}.",
      too_big: "The file is larger than 16 MiB.",
      not_text: "The file is not UTF-8 text.",
      not_answers: "This is not a cxassess answers file (no bank).",
      other_bank: "This file is for the question bank “{file}”; this form is for “{bank}”.",
      line: "line {n}: {msg}",
      syntax: "the form cannot read this line (it is not YAML as cxassess reads it, or uses anchors, aliases or tags, which cxassess refuses too); cxassess validate names the problem",
      indent: "unexpected indentation",
      tab: "tabs are not allowed for indentation",
      dup: "duplicate key “{key}”",
      unknown_key: "unknown key “{key}” (not imported)",
      unknown_q: "unknown question id “{id}” (not in this bank; not imported)",
      bad_value: "{what}: unexpected value (not imported)",
      bad_level: "{q}: level must be 0–{top}, \"na\" or empty (not imported)",
      bad_choice: "{q}: choice must be one of {choices}, or level \"na\" (not imported)",
      bad_finding: "{q}: unknown finding “{f}” (not imported)",
      go: "Go to",
    },
    zh: {
      bad_bank: "无法读取本页中的题库，自评表不可用。",
      organisation: "组织",
      org_id: "标识",
      org_id_help: "小写字母、数字、“.”“_”或“-”；也用作导出文件名。",
      org_id_bad: "只能使用小写字母、数字、“.”“_”或“-”，以字母或数字开头（最多 80 个字符）。",
      org_name: "名称",
      sector: "行业（可选）",
      assessment: "评估",
      title: "标题",
      date: "日期",
      assessors: "评估人员（每行一位）",
      scope: "范围（可选）",
      progress: "已答 {n} / {total}",
      clause: "条款",
      nav_top: "条款导航（顶部）",
      nav_bottom: "条款导航（底部）",
      clause_of: "第 {i} / {n} 条款",
      prev: "上一条款",
      next: "下一条款",
      level: "等级",
      pick_all: "答案（可多选）",
      na: "不适用",
      unset: "清除本题答案",
      reason: "不适用的理由（必填）",
      reason_kept: "不适用的理由（保留；仅在“不适用”时必填）",
      reason_missing: "请说明本题不适用的理由。",
      evidence: "证据（每行一项）",
      note: "备注",
      finding: "发现",
      finding_none: "（无）",
      decided_by: "决定人（选填）",
      record_kept: "该发现附有完整记录（要求、证据、措施、责任人、期限、状态），将原样保留。",
      findings: {
        conforming: "符合",
        observation: "观察项",
        ofi: "改进机会",
        minor: "轻微不符合",
        major: "严重不符合",
      },
      export: "导出答卷",
      import: "导入答卷…",
      clear: "全部清除",
      dirty: "有尚未导出的更改。",
      clean: "自上次导出或导入以来没有更改。",
      stored: "答案在输入时即保存在本浏览器中。",
      storage_off: "本浏览器不允许自评表保存答案：离开页面前请先导出。",
      storage_bad: "本浏览器中保存的答案无法读取，已被搁置。",
      set_aside: "本浏览器中保存的 {n} 个答案已不适用于当前题库（题目已删除或等级已变化）：{ids}。它们仍保存在这里，并以注释形式写在导出文件末尾。",
      confirm_clear: "删除本表中的全部答案？此操作无法撤销（如需保留请先导出）。",
      confirm_import: "用 {file} 中的答案替换本表中的答案？",
      cleared: "表单已清空。",
      export_blocked: "尚未导出，请先修正：",
      missing_id: "缺少组织标识。",
      missing_name: "缺少组织名称。",
      missing_title: "缺少评估标题。",
      missing_date: "评估日期缺失或无效（YYYY-MM-DD）。",
      na_reason: "{q}（条款 {c}）：“不适用”需要说明理由。",
      rule_knockout_na: "{q}（条款 {c}）：否决项始终适用，请给出等级，不能选“不适用”。",
      rule_needs_shall: "{q}（条款 {c}）：{grade}须针对“应”（shall）条款；本题只涉及“{strength}”条款，请改判为观察项或改进机会。",
      rule_preset: "{q}（条款 {c}）：{grade}须针对适用的问题；预设“{preset}”不含本题。",
      rule_needs_level: "{q}（条款 {c}）：{grade}需要等级（0–{top}）。",
      rule_no_shortfall: "{q}（条款 {c}）：等级 {level} 已达到或高于目标 {target}，没有差距可判为{grade}。",
      rule_major_high: "{q}（条款 {c}）：等级 {level}（4 及以上）不能判为严重不符合。",
      rule_before_date: "{q}（条款 {c}）：发现记录的 {key} 日期 {when} 早于评估日期 {day}。",
      too_long: "{what} 超过 20,000 个字符。",
      exported: "已导出 {file}。可用 cxassess validate {file} 检查。",
      import_done: "已导入 {file}：已答 {n} / {total} 题。",
      import_problems: "{file} 中有部分内容未导入：",
      import_failed: "{file} 未导入：",
      import_kept: "以下内容原样保留，导出时一并写出：{keys}。",
      too_big: "文件大于 16 MiB。",
      not_text: "文件不是 UTF-8 文本。",
      not_answers: "这不是 cxassess 答卷文件（没有 bank）。",
      other_bank: "该文件属于题库“{file}”；本表使用题库“{bank}”。",
      line: "第 {n} 行：{msg}",
      syntax: "本表无法读取此行（不是 cxassess 可读取的 YAML，或使用了 cxassess 同样拒绝的锚点、别名或标签）；可用 cxassess validate 查看具体问题",
      indent: "缩进不符合预期",
      tab: "不能用制表符缩进",
      dup: "重复的键“{key}”",
      unknown_key: "未知的键“{key}”（未导入）",
      unknown_q: "未知的题目标识“{id}”（不在本题库中；未导入）",
      bad_value: "{what}：值不符合要求（未导入）",
      bad_level: "{q}：等级应为 0–{top}、\"na\" 或留空（未导入）",
      bad_choice: "{q}：选项应为 {choices} 之一，或等级 \"na\"（未导入）",
      bad_finding: "{q}：未知的发现“{f}”（未导入）",
      go: "前往",
    },
  };

  const lang = root.dataset.lang === "zh" ? "zh" : "en";
  const T = STRINGS[lang];
  const fmt = (text, values) =>
    text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

  let BANK;
  try {
    BANK = JSON.parse(source.textContent);
    if (!BANK || typeof BANK.bank !== "string" || !Array.isArray(BANK.clauses)) throw new Error("shape");
  } catch (_) {
    root.textContent = T.bad_bank;
    return;
  }

  const ID_RE = /^[a-z0-9][a-z0-9._-]{0,79}$/;
  const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
  const MAX_TEXT = 20000;
  const MAX_FILE = 16 * 1024 * 1024;
  const FINDINGS = ["conforming", "observation", "ofi", "minor", "major"];
  const EXTRA_KEYS = ["targets", "readiness", "preset", "survey", "objectives", "actions"];
  const KEY = "cxassess-form:" + BANK.bank;
  const SCALE = new Map((BANK.scale || []).map((s) => [s.level, s.name]));
  const COLON = lang === "zh" ? "：" : ": ";

  const clauses = BANK.clauses;
  const questions = [];
  const byId = new Map();
  clauses.forEach((clause, ci) => {
    clause.questions.forEach((q) => {
      const entry = { q, ci, index: questions.length };
      questions.push(entry);
      byId.set(q.id, entry);
    });
  });

  // -- state ------------------------------------------------------------------------------
  const today = () => {
    const d = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  };
  const emptyState = () => ({
    v: 1,
    org: { id: "", name: "", sector: "" },
    assessment: { title: "", date: today(), assessors: "", scope: "" },
    answers: {},
    // answers of an earlier visit that this bank can no longer take, kept as they were stored
    setAside: {},
    extra: {},
    dirty: false,
    clause: 0,
  });
  // record: the rest of a finding written as a record (requirement, owner, due, status …),
  // carried through untouched; the form edits its grade only.
  // A question answered by choice keeps the picked choice's id where others keep a level,
  // and writes it out as `choice:`; one that takes several (multiple) keeps a list of ids.
  const TOP = Math.max(0, ...(BANK.scale || []).map((s) => s.level));
  const isChoice = (q, id) => q.choices.some((c) => c.id === id);
  const validPicks = (q, level) =>
    Array.isArray(level) && level.length > 0 && new Set(level).size === level.length && level.every((id) => isChoice(q, id));
  const validLevel = (entry, level) =>
    level === "na" ||
    (entry && entry.q.choices
      ? isChoice(entry.q, level) || (entry.q.multiple === true && validPicks(entry.q, level))
      : Number.isInteger(level) && level >= 0 && level <= TOP);
  // What a question's answer holds of a choice: several picks, one, or none.
  const picked = (level, value) => (Array.isArray(level) ? level.includes(value) : level === value);
  const emptyAnswer = () => ({ level: null, reason: "", decided_by: "", evidence: "", note: "", finding: "", record: null });
  const str = (value) => (typeof value === "string" ? value : "");

  function normalise(raw) {
    // Whatever is in storage is data from an earlier visit (or another tab): take only what fits.
    const state = emptyState();
    if (!raw || typeof raw !== "object") return state;
    const org = raw.org || {};
    const info = raw.assessment || {};
    state.org = { id: str(org.id), name: str(org.name), sector: str(org.sector) };
    state.assessment = {
      title: str(info.title),
      date: str(info.date),
      assessors: str(info.assessors),
      scope: str(info.scope),
    };
    const answers = raw.answers && typeof raw.answers === "object" ? raw.answers : {};
    if (raw.setAside && typeof raw.setAside === "object" && !Array.isArray(raw.setAside)) {
      Object.assign(state.setAside, raw.setAside);
    }
    for (const [id, a] of Object.entries(answers)) {
      if (!a || typeof a !== "object") continue;
      if (!byId.has(id)) {
        // the bank changed since this was typed: dropping it would lose the user's words
        state.setAside[id] = a;
        continue;
      }
      const fits = a.level === null || a.level === undefined || validLevel(byId.get(id), a.level);
      if (!fits) state.setAside[id] = a;
      const level = fits && a.level !== undefined ? a.level : null;
      state.answers[id] = {
        level,
        reason: str(a.reason),
        decided_by: str(a.decided_by),
        evidence: str(a.evidence),
        note: str(a.note),
        finding: FINDINGS.includes(a.finding) ? a.finding : "",
        record: a.record && typeof a.record === "object" && !Array.isArray(a.record) ? a.record : null,
      };
    }
    if (raw.extra && typeof raw.extra === "object") {
      for (const key of EXTRA_KEYS) if (key in raw.extra) state.extra[key] = raw.extra[key];
    }
    state.dirty = raw.dirty === true;
    state.clause = Number.isInteger(raw.clause) && raw.clause >= 0 && raw.clause < clauses.length ? raw.clause : 0;
    return state;
  }

  let storageOk = true;
  let storageNote = "";
  function load() {
    let text = null;
    try {
      text = window.localStorage.getItem(KEY);
    } catch (_) {
      storageOk = false;
      storageNote = T.storage_off;
      return emptyState();
    }
    if (text === null) return emptyState();
    try {
      return normalise(JSON.parse(text));
    } catch (_) {
      try {
        window.localStorage.setItem(`${KEY}:unreadable:${Date.now()}`, text);
      } catch (_) {
        /* nothing more to do */
      }
      storageNote = T.storage_bad;
      return emptyState();
    }
  }

  function save() {
    if (!storageOk) return;
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (_) {
      storageOk = false;
      storageNote = T.storage_off;
      showStatusLine();
    }
  }

  let state = load();

  const answerOf = (id) => state.answers[id] || emptyAnswer();
  const hasContent = (a) =>
    a.level !== null || a.reason.trim() !== "" || a.decided_by.trim() !== "" || a.evidence.trim() !== "" || a.note.trim() !== "" || a.finding !== "";
  const isAnswered = (id) => answerOf(id).level !== null;
  function hasData() {
    const o = state.org;
    const s = state.assessment;
    return (
      [o.id, o.name, o.sector, s.title, s.assessors, s.scope].some((v) => v.trim() !== "") ||
      Object.values(state.answers).some(hasContent) ||
      Object.keys(state.setAside).length > 0 ||
      Object.keys(state.extra).length > 0
    );
  }

  function changed() {
    state.dirty = true;
    save();
    showStatusLine();
  }

  // -- DOM helpers ------------------------------------------------------------------------
  function h(tag, props, children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "text") node.textContent = value;
      else if (name === "class") node.className = value;
      else if (name === "value") node.value = value;
      else if (name === "checked") node.checked = true;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function field(id, label, control, extra) {
    return h("div", { class: "cx-form-field" }, [h("label", { for: id, text: label }), control, ...(extra || [])]);
  }

  // -- static parts -----------------------------------------------------------------------
  const progressText = h("span", { class: "cx-form-progress-text", "aria-live": "polite" });
  const progressBar = h("progress", { max: String(questions.length), value: "0", "aria-hidden": "true" });
  const statusLine = h("p", { class: "cx-form-status" });
  const messages = h("div", { class: "cx-form-messages" });
  const fileInput = h("input", {
    type: "file",
    id: "cx-form-file",
    class: "cx-form-hidden",
    accept: ".yaml,.yml,text/yaml,application/x-yaml",
    tabindex: "-1",
    "aria-hidden": "true",
    onchange: () => {
      const file = fileInput.files && fileInput.files[0];
      fileInput.value = "";
      if (file) importFile(file);
    },
  });
  const toolbar = h("div", { class: "cx-form-bar" }, [
    h("div", { class: "cx-form-progress" }, [progressText, progressBar]),
    h("div", { class: "cx-form-actions" }, [
      h("button", { type: "button", class: "cx-form-primary", id: "cx-form-export", text: T.export, onclick: exportAnswers }),
      h("button", { type: "button", id: "cx-form-import", text: T.import, onclick: () => fileInput.click() }),
      fileInput,
      h("button", { type: "button", id: "cx-form-clear", text: T.clear, onclick: clearAll }),
    ]),
  ]);

  function textInput(id, value, onInput, attrs) {
    return h("input", Object.assign({ type: "text", id, value, oninput: (e) => onInput(e.target.value) }, attrs || {}));
  }
  function textArea(id, value, onInput, attrs) {
    return h("textarea", Object.assign({ id, rows: "2", value, oninput: (e) => onInput(e.target.value) }, attrs || {}));
  }

  let orgIdInput;
  let orgIdError;
  function checkOrgId() {
    const value = state.org.id;
    const bad = value !== "" && !ID_RE.test(value);
    orgIdInput.setAttribute("aria-invalid", bad ? "true" : "false");
    orgIdError.hidden = !bad;
  }

  function headerFields() {
    orgIdError = h("p", { class: "cx-form-error", id: "cx-org-id-error", text: T.org_id_bad, hidden: true });
    orgIdInput = textInput(
      "cx-org-id",
      state.org.id,
      (v) => {
        state.org.id = v;
        checkOrgId();
        changed();
      },
      { autocomplete: "off", spellcheck: "false", required: true, "aria-describedby": "cx-org-id-help cx-org-id-error" }
    );
    const org = h("fieldset", { class: "cx-form-head" }, [
      h("legend", { text: T.organisation }),
      h("div", { class: "cx-form-grid" }, [
        field("cx-org-id", T.org_id, orgIdInput, [
          h("p", { class: "cx-form-help", id: "cx-org-id-help", text: T.org_id_help }),
          orgIdError,
        ]),
        field("cx-org-name", T.org_name, textInput("cx-org-name", state.org.name, (v) => { state.org.name = v; changed(); }, { required: true })),
        field("cx-org-sector", T.sector, textInput("cx-org-sector", state.org.sector, (v) => { state.org.sector = v; changed(); })),
      ]),
    ]);
    const info = h("fieldset", { class: "cx-form-head" }, [
      h("legend", { text: T.assessment }),
      h("div", { class: "cx-form-grid" }, [
        field("cx-title", T.title, textInput("cx-title", state.assessment.title, (v) => { state.assessment.title = v; changed(); }, { required: true })),
        field("cx-date", T.date, h("input", {
          type: "date",
          id: "cx-date",
          value: state.assessment.date,
          required: true,
          oninput: (e) => { state.assessment.date = e.target.value; changed(); },
        })),
        field("cx-assessors", T.assessors, textArea("cx-assessors", state.assessment.assessors, (v) => { state.assessment.assessors = v; changed(); })),
        field("cx-scope", T.scope, textArea("cx-scope", state.assessment.scope, (v) => { state.assessment.scope = v; changed(); })),
      ]),
    ]);
    checkOrgId();
    return [org, info];
  }

  // -- clause navigation ------------------------------------------------------------------
  const picker = h("select", { id: "cx-form-clause", onchange: (e) => goTo(Number(e.target.value), null, true) });
  clauses.forEach((clause, ci) => picker.append(h("option", { value: String(ci) })));
  const position = h("span", { class: "cx-form-position" });
  const navButtons = [];
  function navBar(where) {
    const prev = h("button", { type: "button", class: "cx-form-prev", "data-where": where, text: "← " + T.prev, onclick: () => goTo(state.clause - 1) });
    const next = h("button", { type: "button", class: "cx-form-next", "data-where": where, text: T.next + " →", onclick: () => goTo(state.clause + 1) });
    navButtons.push([prev, next]);
    return [prev, next];
  }
  const [topPrev, topNext] = navBar("top");
  const topNav = h("nav", { class: "cx-form-nav", "aria-label": T.nav_top }, [
    h("div", { class: "cx-form-pick" }, [h("label", { for: "cx-form-clause", text: T.clause }), picker]),
    topPrev,
    position,
    topNext,
  ]);
  const clauseBox = h("section", { class: "cx-form-clause", "aria-labelledby": "cx-form-clause-title" });
  const bottomNav = h("nav", { class: "cx-form-nav cx-form-nav-bottom", "aria-label": T.nav_bottom }, navBar("bottom"));

  function clauseCounts(ci) {
    const qs = clauses[ci].questions;
    return [qs.filter((q) => isAnswered(q.id)).length, qs.length];
  }

  function showProgress() {
    const n = questions.filter((e) => isAnswered(e.q.id)).length;
    progressText.textContent = fmt(T.progress, { n, total: questions.length });
    progressBar.value = n;
    clauses.forEach((clause, ci) => {
      const [done, total] = clauseCounts(ci);
      picker.options[ci].textContent = `${clause.id} ${clause.title} (${done}/${total})`;
    });
  }

  function showStatusLine() {
    const parts = [storageNote || T.stored];
    if (hasData()) parts.push(state.dirty ? T.dirty : T.clean);
    const aside = Object.keys(state.setAside);
    if (aside.length) parts.push(fmt(T.set_aside, { n: aside.length, ids: aside.join(", ") }));
    statusLine.textContent = parts.join(" ");
    statusLine.classList.toggle("cx-form-warn", Boolean(storageNote) || aside.length > 0 || (state.dirty && hasData()));
  }

  function goTo(ci, focusId, keepFocus) {
    // keepFocus: the picker keeps focus so that its arrow keys go on working
    if (ci < 0 || ci >= clauses.length) return;
    state.clause = ci;
    save();
    renderClause();
    const target = focusId ? document.getElementById(focusId) : null;
    if (target) {
      target.scrollIntoView({ block: "center" });
      target.focus();
    } else if (!keepFocus) {
      const heading = clauseBox.querySelector("h2");
      heading.scrollIntoView({ block: "start" });
      heading.focus({ preventScroll: true });
    }
  }

  // -- one clause -------------------------------------------------------------------------
  function renderClause() {
    const ci = state.clause;
    const clause = clauses[ci];
    picker.value = String(ci);
    position.textContent = fmt(T.clause_of, { i: ci + 1, n: clauses.length });
    for (const [prev, next] of navButtons) {
      prev.disabled = ci === 0;
      next.disabled = ci === clauses.length - 1;
    }
    clauseBox.replaceChildren(
      h("h2", { id: "cx-form-clause-title", tabindex: "-1", text: `${clause.id} ${clause.title}` }),
      ...clause.questions.map((q) => renderQuestion(q, clause))
    );
    showProgress();
  }

  function renderQuestion(q, clause) {
    const n = byId.get(q.id).index;
    const base = `cx-q${n}`;
    const a = answerOf(q.id);
    const store = () => {
      state.answers[q.id] = a;
      changed();
    };

    const reasonError = h("p", { class: "cx-form-error", id: `${base}-reason-error`, text: T.reason_missing });
    const reason = textArea(`${base}-reason`, a.reason, (v) => {
      a.reason = v;
      showReason(true);
      store();
    }, { "aria-describedby": `${base}-reason-error` });
    const decidedBy = textInput(`${base}-decided-by`, a.decided_by, (v) => {
      a.decided_by = v;
      store();
    });
    const reasonField = field(`${base}-reason`, T.reason, reason, [reasonError]);
    const reasonLabel = reasonField.querySelector("label");
    const reasonBox = h("div", { class: "cx-form-reason" }, [
      reasonField,
      field(`${base}-decided-by`, T.decided_by, decidedBy),
    ]);
    function showReason(typing) {
      const na = a.level === "na";
      // Shown for "not applicable", and whenever words are kept there, so none are hidden;
      // never hidden under the cursor of someone emptying it.
      if (!typing) reasonBox.hidden = !na && a.reason === "" && a.decided_by === "";
      reason.required = na;
      reasonLabel.textContent = na ? T.reason : T.reason_kept;
      const missing = na && a.reason.trim() === "";
      reason.setAttribute("aria-invalid", missing ? "true" : "false");
      reasonError.hidden = !missing;
    }

    const choices = [];
    const several = q.multiple === true;
    const choose = (value) => {
      if (several && value !== null && value !== "na") {
        // A pick is added or taken away; "not applicable" is never one of several.
        const now = Array.isArray(a.level) ? a.level : typeof a.level === "string" && a.level !== "na" ? [a.level] : [];
        const next = now.includes(value) ? now.filter((id) => id !== value) : [...now, value];
        a.level = next.length ? q.choices.map((c) => c.id).filter((id) => next.includes(id)) : null;
      } else {
        a.level = value;
      }
      for (const c of choices) {
        const on = picked(a.level, c.value);
        c.input.checked = on;
        c.label.classList.toggle("cx-form-chosen", on);
      }
      showReason();
      store();
      showProgress();
    };
    const option = (value, text) => {
      const id = `${base}-level-${value}`;
      const input = h("input", {
        type: several ? "checkbox" : "radio",
        name: `${base}-level`,
        id,
        value: String(value),
        checked: picked(a.level, value),
        onchange: () => choose(value),
      });
      const label = h("label", { class: "cx-form-choice" + (picked(a.level, value) ? " cx-form-chosen" : ""), for: id }, [
        input,
        h("span", { text }),
      ]);
      choices.push({ value, input, label });
      return label;
    };
    const levels = q.choices
      ? q.choices.map((c) => option(c.id, `${c.text} (${+(c.value * TOP).toFixed(2)})`))
      : q.levels.map((descriptor, level) => {
          const name = SCALE.get(level);
          return option(level, `${level} – ${name ? name + COLON : ""}${descriptor}`);
        });
    levels.push(option("na", T.na));

    const findingSelect = h("select", {
      id: `${base}-finding`,
      onchange: (e) => {
        a.finding = e.target.value;
        store();
      },
    }, [
      h("option", { value: "", text: T.finding_none }),
      ...FINDINGS.map((f) => h("option", { value: f, text: T.findings[f] })),
    ]);
    findingSelect.value = a.finding;

    const article = h("article", { class: "cx-form-question", id: `${base}`, "data-question": q.id }, [
      h("h3", { id: `${base}-text` }, [h("span", { class: "cx-form-qid", text: q.id }), document.createTextNode(" " + q.text)]),
      q.guidance ? h("p", { class: "cx-form-guidance", text: q.guidance }) : null,
      h("fieldset", { class: "cx-form-levels", "aria-describedby": `${base}-text` }, [
        h("legend", { text: several ? T.pick_all : T.level }),
        ...levels,
        h("button", {
          type: "button",
          class: "cx-form-unset",
          text: T.unset,
          onclick: () => {
            choose(null);
          },
        }),
      ]),
      reasonBox,
      h("div", { class: "cx-form-grid" }, [
        field(`${base}-evidence`, T.evidence, textArea(`${base}-evidence`, a.evidence, (v) => { a.evidence = v; store(); }, { rows: "3" })),
        field(`${base}-note`, T.note, textArea(`${base}-note`, a.note, (v) => { a.note = v; store(); }, { rows: "3" })),
      ]),
      field(`${base}-finding`, T.finding, findingSelect),
      a.record ? h("p", { class: "cx-form-guidance", text: T.record_kept }) : null,
    ]);
    showReason();
    return article;
  }

  // -- messages ---------------------------------------------------------------------------
  function say(kind, text, items) {
    // items: strings or {text, clause, focus} (a link that opens the clause and the field)
    const box = h("div", { class: `cx-form-message cx-form-msg-${kind}`, role: kind === "error" ? "alert" : "status" }, [
      h("p", { text }),
    ]);
    if (items && items.length) {
      box.append(h("ul", {}, items.map((item) => {
        if (typeof item === "string") return h("li", { text: item });
        return h("li", {}, [
          document.createTextNode(item.text + " "),
          h("a", {
            href: "#" + item.focus,
            text: T.go,
            onclick: (e) => {
              e.preventDefault();
              goTo(item.clause, item.focus);
            },
          }),
        ]);
      })));
    }
    messages.replaceChildren(box);
  }

  // -- export -----------------------------------------------------------------------------
  const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
  const clean = (text) => text.replace(LONE_SURROGATE, "\uFFFD");
  // One item per line; blank lines are gaps, not items. Leading spaces are the user's.
  const lines = (text) => text.split("\n").map((s) => clean(s.trimEnd())).filter((s) => s.trim() !== "");
  // JSON is YAML, except that YAML reads U+2028/U+2029/U+0085 as line breaks and refuses
  // U+007F-U+009F and U+FFFE/U+FFFF in the stream: those are written as \uXXXX escapes,
  // which mean the same in both. JSON.stringify never writes "\/".
  const UNSAFE = /[\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g;
  const yamlJson = (value) =>
    JSON.stringify(value).replace(UNSAFE, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));

  function validDate(text) {
    const m = DATE_RE.exec(text);
    if (!m) return false;
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  }

  function buildExport() {
    const problems = [];
    const o = state.org;
    const s = state.assessment;
    if (o.id === "") problems.push({ text: T.missing_id, clause: state.clause, focus: "cx-org-id" });
    else if (!ID_RE.test(o.id)) problems.push({ text: T.org_id_bad, clause: state.clause, focus: "cx-org-id" });
    if (o.name.trim() === "") problems.push({ text: T.missing_name, clause: state.clause, focus: "cx-org-name" });
    if (s.title.trim() === "") problems.push({ text: T.missing_title, clause: state.clause, focus: "cx-title" });
    if (!validDate(s.date)) problems.push({ text: T.missing_date, clause: state.clause, focus: "cx-date" });
    const tooLong = (value, what, clause, focus) => {
      if (value.length > MAX_TEXT) problems.push({ text: fmt(T.too_long, { what }), clause, focus });
    };

    const organisation = { id: o.id, name: clean(o.name.trim()) };
    if (o.sector.trim()) organisation.sector = clean(o.sector.trim());
    tooLong(o.sector, T.sector, state.clause, "cx-org-sector");
    const assessment = { title: clean(s.title.trim()), date: s.date };
    const assessors = lines(s.assessors);
    if (assessors.length) assessment.assessors = assessors;
    assessors.forEach((item) => tooLong(item, T.assessors, state.clause, "cx-assessors"));
    if (s.scope.trim()) assessment.scope = clean(s.scope.trim());
    tooLong(s.scope, T.scope, state.clause, "cx-scope");

    const out = [
      "# cxassess answers file exported from the offline form",
      `# bank ${BANK.bank} ${String(BANK.version || "").replace(/[^\w.+-]/g, "")}; ` +
        `check it with: cxassess validate ${ID_RE.test(o.id) ? o.id : "answers"}.yaml`,
      "bank: " + yamlJson(BANK.bank),
      "organisation: " + yamlJson(organisation),
      "assessment: " + yamlJson(assessment),
    ];
    for (const key of EXTRA_KEYS) if (key in state.extra) out.push(`${key}: ${yamlJson(state.extra[key])}`);
    const entries = [];
    for (const { q, ci, index } of questions) {
      const a = state.answers[q.id];
      if (!a || !hasContent(a)) continue;
      const base = `cx-q${index}`;
      const where = (text) => fmt(text, { q: q.id, c: clauses[ci].id });
      const entry = {};
      if (a.level !== null) entry[q.choices && a.level !== "na" ? "choice" : "level"] = a.level;
      // A reason and who decided stay with the answer whatever its level: a level changed
      // back from "not applicable" or one not given yet still carries the auditor's words.
      if (a.level === "na" && a.reason.trim() === "") {
        problems.push({ text: where(T.na_reason), clause: ci, focus: `${base}-reason` });
      }
      if (a.reason.trim() !== "") entry.reason = clean(a.reason);
      tooLong(a.reason, `${q.id} ${T.reason}`, ci, `${base}-reason`);
      if (a.decided_by.trim() !== "") entry.decided_by = clean(a.decided_by);
      const evidence = lines(a.evidence);
      if (evidence.length) entry.evidence = evidence;
      evidence.forEach((item) => tooLong(item, `${q.id} ${T.evidence}`, ci, `${base}-evidence`));
      if (a.note.trim() !== "") entry.note = clean(a.note);
      tooLong(a.note, `${q.id} ${T.note}`, ci, `${base}-note`);
      if (a.finding) entry.finding = a.record ? { grade: a.finding, ...a.record } : a.finding;
      const focus = q.knockout && a.level === "na" ? `${base}-level-na` : `${base}-finding`;
      for (const text of rules.problems(q, clauses[ci], a, state.extra, s.date)) problems.push({ text, clause: ci, focus });
      if (Object.keys(entry).length) entries.push(`  ${yamlJson(q.id)}: ${yamlJson(entry)}`);
    }
    if (entries.length) out.push("answers:", ...entries);
    else out.push("answers: {}");
    const aside = Object.entries(state.setAside);
    if (aside.length) {
      out.push("# Answers kept from an earlier version of the bank (not read back by cxassess):");
      for (const [id, a] of aside) out.push(`#   ${yamlJson(id)}: ${yamlJson(a)}`);
    }
    return { problems, text: out.join("\n") + "\n", file: `${ID_RE.test(o.id) ? o.id : "answers"}.yaml` };
  }

  function exportAnswers() {
    const result = buildExport();
    if (result.problems.length) {
      say("error", T.export_blocked, result.problems);
      return;
    }
    const blob = new Blob([result.text], { type: "application/x-yaml;charset=utf-8" });
    const url = URL.createObjectURL(blob);
    const link = h("a", { href: url, download: result.file, class: "cx-form-hidden" });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    state.dirty = false;
    save();
    showStatusLine();
    say("info", fmt(T.exported, { file: result.file }));
  }

  // -- import: the reader is assets/cxyaml.js ---------------------------------------------
  const { ReadError, parseYaml } = window.cxYamlReader(T, fmt);
  const rules = window.cxAuditRules(BANK, T, fmt);

  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  function interpret(doc) {
    // -> {state, problems, kept, count} or throws ReadError
    if (!isObject(doc) || !("bank" in doc)) throw new ReadError(T.not_answers);
    if (doc.bank !== BANK.bank) throw new ReadError(fmt(T.other_bank, { file: String(doc.bank), bank: BANK.bank }));
    const next = emptyState();
    next.assessment.date = "";
    next.clause = state.clause;
    next.setAside = { ...state.setAside };
    const problems = [];
    const text = (value, what) => {
      if (value === null || value === undefined) return "";
      if (typeof value === "string") return value;
      problems.push(fmt(T.bad_value, { what }));
      return "";
    };
    const texts = (value, what) => {
      if (value === null || value === undefined) return "";
      if (typeof value === "string") return value;
      if (Array.isArray(value) && value.every((v) => typeof v === "string")) return value.join("\n");
      problems.push(fmt(T.bad_value, { what }));
      return "";
    };
    const known = (obj, keys, where) => {
      for (const key of Object.keys(obj)) {
        if (!keys.includes(key)) problems.push(fmt(T.unknown_key, { key: where ? `${where}.${key}` : key }));
      }
    };
    const kept = [];
    known(doc, ["bank", "organisation", "assessment", "answers", ...EXTRA_KEYS], "");
    for (const key of EXTRA_KEYS) {
      if (key in doc) {
        next.extra[key] = doc[key];
        kept.push(key);
      }
    }
    if (isObject(doc.organisation)) {
      const o = doc.organisation;
      known(o, ["id", "name", "sector"], "organisation");
      next.org = {
        id: text(o.id, "organisation.id"),
        name: text(o.name, "organisation.name"),
        sector: text(o.sector, "organisation.sector"),
      };
    } else if (doc.organisation != null) problems.push(fmt(T.bad_value, { what: "organisation" }));
    if (isObject(doc.assessment)) {
      const s = doc.assessment;
      known(s, ["title", "date", "assessors", "scope"], "assessment");
      next.assessment = {
        title: text(s.title, "assessment.title"),
        date: text(s.date, "assessment.date"),
        assessors: texts(s.assessors, "assessment.assessors"),
        scope: text(s.scope, "assessment.scope"),
      };
      if (next.assessment.date && !validDate(next.assessment.date)) {
        problems.push(fmt(T.bad_value, { what: "assessment.date" }));
        next.assessment.date = "";
      }
    } else if (doc.assessment != null) problems.push(fmt(T.bad_value, { what: "assessment" }));
    if (isObject(doc.answers)) {
      for (const [id, raw] of Object.entries(doc.answers)) {
        if (!byId.has(id)) {
          problems.push(fmt(T.unknown_q, { id }));
          continue;
        }
        if (raw === null) continue;
        if (!isObject(raw)) {
          problems.push(fmt(T.bad_value, { what: id }));
          continue;
        }
        known(raw, ["level", "choice", "reason", "decided_by", "evidence", "note", "finding"], id);
        const a = emptyAnswer();
        const given = raw.choice !== undefined && raw.choice !== null ? raw.choice : raw.level;
        if (validLevel(byId.get(id), given)) a.level = given;
        else if (given !== null && given !== undefined) {
          const asked = byId.get(id).q;
          problems.push(
            asked.choices
              ? fmt(T.bad_choice, { q: id, choices: asked.choices.map((c) => c.id).join(", ") })
              : fmt(T.bad_level, { q: id, top: TOP }),
          );
        }
        a.reason = text(raw.reason, `${id}.reason`);
        a.evidence = texts(raw.evidence, `${id}.evidence`);
        a.note = text(raw.note, `${id}.note`);
        a.decided_by = text(raw.decided_by, `${id}.decided_by`);
        if (isObject(raw.finding) && FINDINGS.includes(raw.finding.grade)) {
          const { grade, ...rest } = raw.finding;
          a.finding = grade;
          a.record = rest;
        } else if (FINDINGS.includes(raw.finding)) a.finding = raw.finding;
        else if (raw.finding !== null && raw.finding !== undefined && raw.finding !== "") {
          problems.push(fmt(T.bad_finding, { q: id, f: String(raw.finding) }));
        }
        if (hasContent(a)) next.answers[id] = a;
      }
    } else if (doc.answers != null) problems.push(fmt(T.bad_value, { what: "answers" }));
    const count = Object.values(next.answers).filter((a) => a.level !== null).length;
    return { state: next, problems, kept, count };
  }

  async function importFile(file) {
    const name = file.name || "answers.yaml";
    let result;
    try {
      if (file.size > MAX_FILE) throw new ReadError(T.too_big);
      let text;
      try {
        text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
      } catch (_) {
        throw new ReadError(T.not_text);
      }
      result = interpret(parseYaml(text));
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      say("error", fmt(T.import_failed, { file: name }), [e.message]);
      return;
    }
    if (hasData() && !window.confirm(fmt(T.confirm_import, { file: name }))) return;
    state = result.state;
    state.dirty = false;
    save();
    render();
    const done = fmt(T.import_done, { file: name, n: result.count, total: questions.length });
    const notes = result.kept.length ? [fmt(T.import_kept, { keys: result.kept.join(", ") })] : [];
    if (result.problems.length) {
      say("error", done + " " + fmt(T.import_problems, { file: name }), [...result.problems, ...notes]);
    } else {
      say("info", done, notes);
    }
  }

  // -- clear, leave, other tabs -----------------------------------------------------------
  function clearAll() {
    if (hasData() && !window.confirm(T.confirm_clear)) return;
    state = emptyState();
    save();
    render();
    say("info", T.cleared);
  }

  window.addEventListener("beforeunload", (event) => {
    if (state.dirty && hasData()) {
      event.preventDefault();
      event.returnValue = "";
      return "";
    }
    return undefined;
  });

  window.addEventListener("storage", (event) => {
    // the same bank open in another tab (or the other language): follow its changes
    if (event.key !== KEY || event.newValue === null) return;
    const clause = state.clause; // each tab stays on its own clause
    try {
      state = normalise(JSON.parse(event.newValue));
    } catch (_) {
      return;
    }
    state.clause = clause;
    render();
  });

  function render() {
    root.replaceChildren(
      toolbar,
      statusLine,
      messages,
      ...headerFields(),
      topNav,
      clauseBox,
      bottomNav
    );
    messages.replaceChildren();
    renderClause();
    showStatusLine();
  }

  root.classList.add("cx-form-ready");
  render();
})();
