/** Injection corpus shared by the report-safety and fuzz tests. */

/** Text that must stay text wherever it lands. No `/` in the ones used in paths (names). */
export const XSS_CORPUS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '"><svg onload=alert(3)>',
  "'><iframe src=javascript:alert(4)>",
  '[click](javascript:alert(5))',
  '![pixel](https://evil.example/p.png)',
  '<https://evil.example/autolink>',
  '[ref]: https://evil.example/ref',
  '</code></pre></td></tr></table><script>alert(6)</script>',
  '```\n# Injected heading\n```',
  '~~~\n## fenced\n~~~',
  '| injected | cells |',
  '*bold* _it_ ~~strike~~ `code` **x**',
  '&lt;script&gt;alert(7)&lt;/script&gt;',
  '&#x3C;script&#x3E;alert(8)&#x3C;/script&#x3E;',
  '<!-- comment --> <style>body{display:none}</style>',
  '<base href="https://evil.example/">',
  '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
  '{{constructor.constructor("alert(9)")()}} {{{raw}}}',
  '\u001b[31mred\u001b[0m \u001b]8;;https://evil.example/\u0007osc-link\u001b]8;;\u0007 \u001b]0;title\u0007 \u009b31m',
  'line1\r\nline2\n\n## Injected heading\n> quote\n- item\n1. item',
  '$(touch PWNED) `touch PWNED` ; touch PWNED \'; touch PWNED; \' " && touch PWNED',
];
