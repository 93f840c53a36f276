/* cxassess offline form: the audit rules an answer must keep, as `cxassess validate` checks
   them (assessment/load/crossref.py), so that an export it would refuse is stopped in the
   browser with the reason. Loaded before cxform.js, which calls cxAuditRules(bank, T, fmt). */
window.cxAuditRules = (BANK, T, fmt) => {
  "use strict";

  const TOP = Math.max(0, ...(BANK.scale || []).map((s) => s.level));
  const NONCONFORMITIES = ["minor", "major"];
  const DATE = /^\d{4}-\d{2}-\d{2}$/;

  // What an answer scores: its level; for picked choices their value (several add up, at
  // most 1) times the top level; outside the organisation's preset the question does not apply.
  function levelOf(q, level, preset) {
    if (typeof preset === "string" && Array.isArray(q.presets) && !q.presets.includes(preset)) return "na";
    if (level === null || level === "na" || !q.choices) return level;
    const picks = Array.isArray(level) ? level : [level];
    const value = picks.reduce((sum, id) => sum + q.choices.find((c) => c.id === id).value, 0);
    return Math.min(1, value) * TOP;
  }

  // The nearest clause with a target, then the organisation's default, then the bank's.
  function targetOf(clause, targets) {
    const given = targets && typeof targets === "object" ? targets : {};
    const byClause = given.clauses && typeof given.clauses === "object" ? given.clauses : {};
    for (const id of clause.lineage || [clause.id]) {
      if (Number.isInteger(byClause[id])) return byClause[id];
    }
    return Number.isInteger(given.default) ? given.default : BANK.default_target;
  }

  // -> the messages for one answer (none: it keeps every rule)
  function problems(q, clause, a, extra, day) {
    const where = (text, values) => fmt(text, { q: q.id, c: clause.id, ...values });
    const out = [];
    if (q.knockout && a.level === "na") out.push(where(T.rule_knockout_na));
    if (NONCONFORMITIES.includes(a.finding)) {
      const grade = T.findings[a.finding];
      const level = levelOf(q, a.level, extra.preset);
      const target = targetOf(clause, extra.targets);
      if (q.strength === "should" || q.strength === "may") {
        out.push(where(T.rule_needs_shall, { grade, strength: q.strength }));
      }
      if (level === "na" && a.level !== "na") out.push(where(T.rule_preset, { grade, preset: extra.preset }));
      else if (typeof level !== "number") out.push(where(T.rule_needs_level, { grade, top: TOP }));
      else if (level >= target) out.push(where(T.rule_no_shortfall, { grade, level: +level.toFixed(2), target }));
      if (a.finding === "major" && typeof level === "number" && level >= 4) {
        out.push(where(T.rule_major_high, { level: +level.toFixed(2) }));
      }
    }
    const record = a.record || {};
    for (const key of ["closed", "verified"]) {
      const when = record[key];
      if (typeof when === "string" && DATE.test(when) && DATE.test(day) && when < day) {
        out.push(where(T.rule_before_date, { key, when, day }));
      }
    }
    return out;
  }

  return { problems };
};
