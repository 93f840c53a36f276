/* cxassess offline form: its YAML reader, kept apart from the form's page logic.
   It reads answers files as people and tools write them: block mappings and sequences by
   indentation; JSON, plain, single- and double-quoted scalars; flow collections on one line;
   block scalars (| and >) and values continued over several lines. Anchors, aliases, tags
   and several documents are not read (cxassess refuses them too). Every problem is a
   ReadError with the line it is on. Loaded before cxform.js, which calls
   cxYamlReader(messages, fmt) once. */
window.cxYamlReader = (T, fmt) => {
  "use strict";

  class ReadError extends Error {}
  // YAML's white space is the space and the tab; a no-break space is text.
  const yamlTrim = (text) => text.replace(/^[ \t]+|[ \t]+$/g, "");

  // YAML's double-quoted escapes (what PyYAML writes, e.g. \L for U+2028, \e, \U0001F600),
  // a superset of JSON's.
  const ESCAPES = {
    0: "\0", a: "\x07", b: "\b", t: "\t", "\t": "\t", n: "\n", v: "\v", f: "\f", r: "\r", e: "\x1b",
    " ": " ", '"': '"', "/": "/", "\\": "\\", N: "\x85", _: "\xa0", L: "\u2028", P: "\u2029",
  };
  const HEX_DIGITS = { x: 2, u: 4, U: 8 };
  function unescapeDouble(body) {
    let out = "";
    for (let i = 0; i < body.length; i++) {
      if (body[i] !== "\\") {
        out += body[i];
        continue;
      }
      const code = body[++i];
      if (code in HEX_DIGITS) {
        const hex = body.slice(i + 1, i + 1 + HEX_DIGITS[code]);
        const point = /^[0-9a-fA-F]+$/.test(hex) && hex.length === HEX_DIGITS[code] ? parseInt(hex, 16) : -1;
        if (point < 0 || point > 0x10ffff) throw new ReadError(T.syntax);
        out += String.fromCodePoint(point);
        i += hex.length;
      } else if (Object.prototype.hasOwnProperty.call(ESCAPES, code)) out += ESCAPES[code];
      else throw new ReadError(T.syntax);
    }
    return out;
  }

  function parseScalar(text) {
    const attempt = (s) => {
      try {
        return { ok: true, value: JSON.parse(s) };
      } catch (_) {
        return { ok: false };
      }
    };
    let r = attempt(text);
    if (r.ok) return r.value;
    for (let i = text.indexOf(" #"); i !== -1; i = text.indexOf(" #", i + 1)) {
      r = attempt(text.slice(0, i));
      if (r.ok) return r.value;
    }
    if (text[0] === "{" || text[0] === "[") return parseFlow(text);
    const double = /^"((?:[^"\\]|\\.)*)"[ \t]*(?:#.*)?$/.exec(text);
    if (double) return unescapeDouble(double[1]);
    const single = /^'((?:[^']|'')*)'[ \t]*(?:#.*)?$/.exec(text);
    if (single) return single[1].replace(/''/g, "'");
    const hash = text.search(/[ \t]#/);
    const plain = yamlTrim(hash === -1 ? text : text.slice(0, hash));
    if (/:([ \t]|$)/.test(plain)) throw new ReadError(T.syntax);
    return plainValue(plain);
  }

  function plainValue(plain) {
    // "-x", "?x" and ":x" are plain text (PyYAML writes them so); "- x", "? x" are not.
    if (plain === "" || /^([,[\]{}#&*!|>'"%@`]|[-?:]([ \t]|$))/.test(plain)) {
      if (plain === "" || plain === "~") return null;
      throw new ReadError(T.syntax);
    }
    if (/^(null|Null|NULL|~)$/.test(plain)) return null;
    if (/^(true|True|TRUE|yes|Yes|YES|on|On|ON)$/.test(plain)) return true;
    if (/^(false|False|FALSE|no|No|NO|off|Off|OFF)$/.test(plain)) return false;
    if (/^[-+]?(0|[1-9][0-9_]*)$/.test(plain)) return Number(plain.replace(/_/g, ""));
    if (/^[-+]?(\d[\d_]*)?\.\d+([eE][-+]?\d+)?$/.test(plain)) return Number(plain.replace(/_/g, ""));
    return plain;
  }

  // A flow collection on one line, as people write them by hand: {id: org, name: Org},
  // [a, "b, c"], nested; keys stay text as written ("1.10" is not the number 1.1).
  function parseFlow(text) {
    let i = 0;
    const fail = () => {
      throw new ReadError(T.syntax);
    };
    const skip = () => {
      while (text[i] === " " || text[i] === "\t") i++;
    };
    const quoted = () => {
      if (text[i] === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
        if (j >= text.length) fail();
        const value = unescapeDouble(text.slice(i + 1, j));
        i = j + 1;
        return value;
      }
      const m = /^'((?:[^']|'')*)'/.exec(text.slice(i));
      if (!m) fail();
      i += m[0].length;
      return m[1].replace(/''/g, "'");
    };
    // Plain text ends at a flow indicator, at ":" before a space or indicator, or at " #".
    const plainText = () => {
      const start = i;
      while (i < text.length && !",[]{}".includes(text[i])) {
        if (text[i] === ":" && (i + 1 === text.length || " \t,[]{}".includes(text[i + 1]))) break;
        if (text[i] === "#" && i > start && /[ \t]/.test(text[i - 1])) fail();
        i++;
      }
      return yamlTrim(text.slice(start, i));
    };
    const value = () => {
      skip();
      if (text[i] === "{") return mapping();
      if (text[i] === "[") return sequence();
      if (text[i] === '"' || text[i] === "'") return quoted();
      return plainValue(plainText());
    };
    const close = (end) => {
      skip();
      if (text[i] === ",") {
        i++;
        skip();
      } else if (text[i] !== end) fail();
      if (text[i] !== end) return false;
      i++;
      return true;
    };
    function mapping() {
      const result = {};
      i++;
      skip();
      if (text[i] === "}") {
        i++;
        return result;
      }
      for (;;) {
        skip();
        const key = text[i] === '"' || text[i] === "'" ? quoted() : plainText();
        if (key === "") fail();
        skip();
        if (text[i] !== ":") fail();
        i++;
        skip();
        const item = text[i] === "," || text[i] === "}" ? null : value();
        if (Object.prototype.hasOwnProperty.call(result, key)) throw new ReadError(fmt(T.dup, { key }));
        result[key] = item;
        if (close("}")) return result;
      }
    }
    function sequence() {
      const result = [];
      i++;
      skip();
      if (text[i] === "]") {
        i++;
        return result;
      }
      for (;;) {
        result.push(value());
        if (close("]")) return result;
      }
    }
    const result = value();
    skip();
    if (i < text.length && text[i] !== "#") fail();
    return result;
  }

  function splitKey(text) {
    // "key": rest  |  'key': rest  |  key: rest   ->  [key, rest] or null
    let key;
    let rest;
    if (text[0] === '"') {
      let i = 1;
      while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
      if (i >= text.length) return null;
      try {
        key = JSON.parse(text.slice(0, i + 1));
      } catch (_) {
        return null;
      }
      rest = text.slice(i + 1);
    } else if (text[0] === "'") {
      const m = /^'((?:[^']|'')*)'/.exec(text);
      if (!m) return null;
      key = m[1].replace(/''/g, "'");
      rest = text.slice(m[0].length);
    } else {
      const m = /^([^ \t:#[\]{},"'&*!|>%@`-][^:#]*?|-[^ \t:#][^:#]*?)[ \t]*(?=:([ \t]|$))/.exec(text);
      if (!m) return null;
      key = m[1];
      rest = text.slice(m[0].length);
    }
    const m = /^[ \t]*:([ \t]+|$)/.exec(rest);
    if (!m) return null;
    return [key, yamlTrim(rest.slice(m[0].length))];
  }

  // -- rows: one per node line; a value written over several lines is joined back into one
  // row and given as JSON, which parseScalar reads first.
  const isBlank = (line) => /^[ \t]*$/.test(line);
  const isSkipped = (line) => /^[ \t]*(#.*)?$/.test(line) || /^(---|\.\.\.)[ \t]*(#.*)?$/.test(line);

  // "key: value", "- value", "- key: value": what comes before the value, the value, and the
  // column below which no line of the value may start (the key's, or the item's dash's).
  function lineHead(indent, body) {
    let prefix = "";
    let rest = body;
    let column = indent;
    while (rest === "-" || rest.startsWith("- ")) {
      const inner = rest.slice(1).replace(/^[ \t]+/, "");
      column = indent + prefix.length;
      prefix += rest.slice(0, rest.length - inner.length);
      rest = inner;
    }
    const kv = splitKey(rest);
    if (kv) {
      column = indent + prefix.length;
      prefix += rest.slice(0, rest.length - kv[1].length);
      rest = kv[1];
    }
    return { prefix, value: rest, column };
  }

  // YAML's folding of a block scalar (>): a break between two lines of text is a space; each
  // empty line is a break; lines indented further keep their breaks.
  function fold(lines) {
    let out = "";
    let previous = null;
    let empty = 0;
    for (const line of lines) {
      if (line === "") {
        empty++;
        continue;
      }
      if (previous === null) out += "\n".repeat(empty);
      else if (/^[ \t]/.test(line) || /^[ \t]/.test(previous)) out += "\n".repeat(empty + 1);
      else out += empty ? "\n".repeat(empty) : " ";
      out += line;
      previous = line;
      empty = 0;
    }
    return out;
  }

  // A block scalar's lines from lines[start] on (those more indented than `column`, and
  // empty ones): its text, and the index of the first line after it.
  function blockScalar(lines, start, column, header) {
    const [, style, d1, chomp, d2] = header;
    const digit = Number(d1 || d2 || 0);
    let width = digit ? column + digit : 0;
    let end = start;
    const content = [];
    for (; end < lines.length; end++) {
      const line = lines[end];
      if (isBlank(line)) {
        content.push(line);
        continue;
      }
      const indent = /^ */.exec(line)[0].length;
      if (!width) width = indent;
      if (indent < width || indent <= column) break;
      content.push(line);
    }
    // Empty lines after the last line of text belong to what follows, unless kept (+).
    let trailing = 0;
    while (content.length && isBlank(content[content.length - 1])) {
      content.pop();
      trailing++;
    }
    const body = content.map((line) => (isBlank(line) ? "" : line.slice(width)));
    let text = style === "|" ? body.join("\n") : fold(body);
    if (chomp === "+") text += "\n".repeat((content.length ? 1 : 0) + trailing);
    else if (chomp !== "-" && content.length) text += "\n";
    return { text, next: end - (chomp === "+" ? 0 : trailing) };
  }

  // A quoted value that goes on over lines: YAML's line folding (a break is a space, an empty
  // line a break, a "\" at the end of a double-quoted line joins without one).
  function quotedLines(first, more, double) {
    let out = first.replace(/[ \t]+$/, "");
    let empty = 0;
    for (const raw of more) {
      const line = yamlTrim(raw);
      if (line === "") {
        empty++;
        continue;
      }
      const escaped = double && /(^|[^\\])(\\\\)*\\$/.test(out);
      if (escaped) out = out.slice(0, -1);
      else out += empty ? "\n".repeat(empty) : " ";
      out += line;
      empty = 0;
    }
    return out;
  }

  const closesQuote = (text, double) =>
    double ? /^"((?:[^"\\]|\\.)*)"/.test(text) : /^'((?:[^']|'')*)'(?!')/.test(text);

  // How many brackets of a flow collection are still open at the end of `text` (quotes
  // and comments skipped); negative when more close than open.
  function flowDepth(text) {
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      if (c === '"') {
        for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      } else if (c === "'") {
        for (i++; i < text.length && !(text[i] === "'" && text[i + 1] !== "'"); i++) if (text[i] === "'") i++;
      } else if (c === "#" && (i === 0 || /[ \t]/.test(text[i - 1]))) break;
      else if (c === "{" || c === "[") depth++;
      else if (c === "}" || c === "]") depth--;
    }
    return depth;
  }

  function readRows(text) {
    const lines = text.split("\n");
    const rows = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (isSkipped(line)) continue;
      const indent = /^ */.exec(line)[0].length;
      if (line[indent] === "\t") throw new ReadError(fmt(T.line, { n: i + 1, msg: T.tab }));
      const row = { n: i + 1, indent, text: line.slice(indent).replace(/[ \t]+$/, "") };
      rows.push(row);
      const head = lineHead(indent, row.text);
      const header = /^([|>])([1-9]?)([-+]?)([1-9]?)(?:[ \t]+#.*)?$/.exec(head.value);
      if (header) {
        const block = blockScalar(lines, i + 1, head.column, header);
        row.text = head.prefix + JSON.stringify(block.text);
        i = block.next - 1;
        continue;
      }
      if ((head.value[0] === "{" || head.value[0] === "[") && flowDepth(head.value) > 0) {
        // a flow collection goes on over lines: its line breaks are spaces between items
        let joined = head.value;
        let j = i + 1;
        for (; j < lines.length && flowDepth(joined) > 0; j++) {
          if (!isSkipped(lines[j])) joined += " " + yamlTrim(lines[j]);
        }
        if (flowDepth(joined) > 0) throw new ReadError(fmt(T.line, { n: row.n, msg: T.syntax }));
        row.text = head.prefix + joined;
        i = j - 1;
        continue;
      }
      const quote = head.value[0];
      if ((quote === '"' || quote === "'") && !closesQuote(head.value, quote === '"')) {
        // the closing quote is on a later line
        let j = i + 1;
        while (j < lines.length && !closesQuote(quotedLines(head.value, lines.slice(i + 1, j + 1), quote === '"'), quote === '"')) j++;
        if (j >= lines.length) throw new ReadError(fmt(T.line, { n: row.n, msg: T.syntax }));
        row.text = head.prefix + quotedLines(head.value, lines.slice(i + 1, j + 1), quote === '"');
        i = j;
        continue;
      }
      // A plain value goes on over lines indented further that are not keys or items.
      if (head.value === "" || /^[[{"'&*!|>#%@`]/.test(head.value) || /[ \t]#/.test(head.value)) continue;
      const more = [];
      let j = i + 1;
      for (; j < lines.length; j++) {
        const next = lines[j];
        if (isBlank(next)) {
          more.push("");
          continue;
        }
        const nextIndent = /^ */.exec(next)[0].length;
        const body = yamlTrim(next);
        if (nextIndent <= head.column || body.startsWith("#") || body === "-" || body.startsWith("- ") || splitKey(body)) break;
        more.push(body);
      }
      while (more.length && more[more.length - 1] === "") more.pop();
      if (!more.length) continue;
      row.text = head.prefix + JSON.stringify(quotedLines(head.value, more, false));
      i += more.length;
    }
    return rows;
  }

  function parseYaml(text) {
    text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
    const rows = readRows(text);
    let pos = 0;
    const fail = (row, msg) => {
      throw new ReadError(fmt(T.line, { n: row.n, msg }));
    };
    const isItem = (row) => row.text === "-" || row.text.startsWith("- ");

    function block(indent) {
      const row = rows[pos];
      return isItem(row) ? sequence(indent) : mapping(indent);
    }
    function nested(row, indent) {
      // the value of "key:" or "-" with nothing after it
      const next = rows[pos];
      if (next && next.indent > indent) return block(next.indent);
      if (next && next.indent === indent && isItem(next) && !isItem(row)) return sequence(indent);
      return null;
    }
    function mapping(indent) {
      const result = {};
      while (pos < rows.length && rows[pos].indent === indent && !isItem(rows[pos])) {
        const row = rows[pos++];
        const kv = splitKey(row.text);
        if (!kv) fail(row, T.syntax);
        const [key, rest] = kv;
        if (Object.prototype.hasOwnProperty.call(result, key)) fail(row, fmt(T.dup, { key }));
        if (rest === "") {
          result[key] = nested(row, indent);
        } else {
          try {
            result[key] = parseScalar(rest);
          } catch (e) {
            fail(row, e.message);
          }
        }
        if (pos < rows.length && rows[pos].indent > indent) fail(rows[pos], T.indent);
      }
      return result;
    }
    function sequence(indent) {
      const result = [];
      while (pos < rows.length && rows[pos].indent === indent && isItem(rows[pos])) {
        const row = rows[pos];
        const rest = row.text.slice(1).replace(/^[ \t]+/, "");
        if (rest === "") {
          pos++;
          result.push(nested(row, indent));
        } else if (splitKey(rest)) {
          // "- key: value" starts a mapping one level in
          row.indent = indent + (row.text.length - rest.length);
          row.text = rest;
          result.push(mapping(row.indent));
        } else {
          pos++;
          try {
            result.push(parseScalar(rest));
          } catch (e) {
            fail(row, e.message);
          }
        }
        if (pos < rows.length && rows[pos].indent > indent) fail(rows[pos], T.indent);
      }
      return result;
    }

    if (!rows.length) return null;
    if (rows[0].indent !== 0) fail(rows[0], T.indent);
    const value = block(0);
    if (pos < rows.length) fail(rows[pos], T.indent);
    return value;
  }

  return { ReadError, parseYaml };
};
