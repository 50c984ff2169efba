// A run's warnings (AuditResult.warnings) as the Markdown reports show them: one bold line each, Chinese and English,
// right under the catalogue line, where a reader looks before the scores they cast doubt on.
import type { AuditHeader } from '../model.ts';
import { mdEscape } from '../util/markdown.ts';

export function warningsMarkdown(results: Pick<AuditHeader, 'warnings'>): string[] {
  return (results.warnings ?? []).flatMap((w) => ['', `**警告 Warning:** ${w.messageZh ? `${mdEscape(w.messageZh)} / ` : ''}${mdEscape(w.message)}`]);
}
