// A subset of `terraform fmt` (hclwrite's rules) that can run here: two-space indentation by
// nesting depth, no tabs or trailing spaces, and the alignment of `=` across consecutive
// single-line attributes (a line that opens a multi-line value, a blank line, a comment line or
// a block line ends a group). `fix` rewrites the alignment and indentation.
const OPEN = new Set(["(", "[", "{"]), CLOSE = new Set([")", "]", "}"]);

/** Scans one line: returns { eq: index of the assignment '=' or -1, net: bracket change after it, depthChange, startsWithClose }. */
function scan(line, inHeredoc) {
  let inStr = false, eq = -1, net = 0, depth = 0, interp = 0, heredoc = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inStr) {
      if (c === "\\") { i++; continue; }
      if (c === "$" && line[i + 1] === "{") { interp++; i++; depth++; if (eq >= 0) net++; inStr = false; continue; }
      if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') { inStr = true; continue; }
    if (c === "#" || (c === "/" && line[i + 1] === "/")) break;
    if (c === "<" && line[i + 1] === "<" && /^<<-?[A-Z_]+/.test(line.slice(i))) { heredoc = /^<<-?([A-Z_]+)/.exec(line.slice(i))[1]; if (eq >= 0) net++; break; }
    if (OPEN.has(c)) { depth++; if (eq >= 0) net++; }
    else if (CLOSE.has(c)) { depth--; if (eq >= 0) net--; if (interp > 0 && c === "}") { interp--; inStr = true; } }
    else if (c === "=" && eq < 0 && depth === 0 && !"=!<>".includes(line[i - 1] ?? "") && line[i + 1] !== "=" && line[i + 1] !== ">") eq = i;
  }
  return { eq, net, depth, heredoc };
}

export function checkFormat(text) {
  return format(text).problems;
}

export function format(text) {
  const lines = text.split("\n");
  const out = [];
  const problems = [];
  let depth = 0, heredoc = null;
  const info = [];
  for (let n = 0; n < lines.length; n++) {
    let line = lines[n];
    if (heredoc) {
      out.push(line);
      info.push(null);
      if (line.trim() === heredoc) heredoc = null;
      continue;
    }
    if (/\t/.test(line)) problems.push(`line ${n + 1}: tab`);
    if (/\s+$/.test(line)) problems.push(`line ${n + 1}: trailing whitespace`);
    const body = line.trim();
    const s = scan(body);
    // hclwrite indents one level per line that opens brackets, however many it opens
    const startsClosed = /^[)\]}]/.test(body);
    if (startsClosed && s.depth < 0) depth = Math.max(0, depth - 1);
    const indent = body === "" ? 0 : 2 * depth;
    const want = body === "" ? "" : " ".repeat(indent) + body;
    if (body !== "" && line.replace(/\s+$/, "") !== want) problems.push(`line ${n + 1}: indentation (want ${indent})`);
    out.push(want);
    const isComment = body.startsWith("#") || body.startsWith("//");
    info.push(!isComment && s.eq > 0 && s.net === 0 ? { eq: indent + s.eq } : null);
    if (s.depth > 0) depth++;
    else if (s.depth < 0 && !startsClosed) depth = Math.max(0, depth - 1);
    if (s.heredoc) heredoc = s.heredoc;
  }
  // alignment of consecutive single-line attributes
  for (let i = 0; i < out.length; ) {
    if (!info[i]) { i++; continue; }
    let j = i;
    while (j < out.length && info[j]) j++;
    const leads = [];
    for (let k = i; k < j; k++) leads.push(out[k].slice(0, info[k].eq).replace(/\s+$/, ""));
    const col = Math.max(...leads.map((l) => l.length)) + 1;
    for (let k = i; k < j; k++) {
      const rest = out[k].slice(info[k].eq + 1).replace(/^\s*/, "");
      const fixed = leads[k - i].padEnd(col) + "= " + rest;
      if (fixed !== out[k]) problems.push(`line ${k + 1}: '=' not aligned at column ${col + 1}`);
      out[k] = fixed;
    }
    i = j;
  }
  return { problems, text: out.join("\n") };
}
