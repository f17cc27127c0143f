import { describe, expect, it } from 'vitest';
import { markdownCell, markdownCode, markdownFence, markdownText, terminalSafe } from '../../src/report/escape.js';

describe('escaping bundle text', () => {
  it('keeps Markdown prose from turning into links, HTML, emphasis or table breaks', () => {
    expect(markdownText('[click](http://evil) <img src=x onerror=alert(1)> *bold* a|b')).toBe(
      '\\[click\\](http\\://evil) \\<img src=x onerror=alert(1)\\> \\*bold\\* a\\|b',
    );
    expect(markdownText('# heading\nsecond line')).toBe('\\# heading second line');
    expect(markdownText('1. not a list')).toBe('1\\. not a list');
    expect(markdownText('&lt;script&gt;')).toBe('\\&lt;script\\&gt;');
    // Bare URLs would become links in GitHub and GitLab.
    expect(markdownText('see https://evil.example and www.evil.example')).toBe('see https\\://evil.example and www\\.evil.example');
  });

  it('keeps a table cell on one line with its pipes escaped', () => {
    expect(markdownCell('a | b\nc')).toBe('a \\| b c');
  });

  it('makes inline code that a backtick in the text cannot close', () => {
    expect(markdownCode('plain')).toBe('`plain`');
    expect(markdownCode('a`b')).toBe('``a`b``');
    expect(markdownCode('`start')).toBe('`` `start ``');
    expect(markdownCode('x|y')).toBe('`x\\|y`');
  });

  it('makes a code fence longer than any backtick run inside', () => {
    expect(markdownFence('echo ```', 'bash')).toBe('````bash\necho ```\n````');
    expect(markdownFence('ls')).toBe('```\nls\n```');
  });

  it('strips ANSI escape sequences and control characters for the terminal', () => {
    expect(terminalSafe('\u001b[31mred\u001b[0m \u001b]0;title\u0007ok\u0000\u0008 tab\tnl\n')).toBe('red ok tab\tnl\n');
  });
});
