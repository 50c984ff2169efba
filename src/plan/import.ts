// `odbadge plan import`: a plan document's text → the plan format. Chooses the importer by the document's layout.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { importHkPlan, looksLikeHkPlan } from './import-hk.ts';
import { importTwList, looksLikeTwList } from './import-tw.ts';
import { PlanError, type Plan } from './plan.ts';

export { importHkPlan } from './import-hk.ts';
export { importTwList } from './import-tw.ts';

export type PlanLayout = 'hk-plan' | 'tw-list';

export function detectLayout(text: string): PlanLayout | undefined {
  if (looksLikeHkPlan(text)) return 'hk-plan';
  if (looksLikeTwList(text)) return 'tw-list';
  return undefined;
}

export function importPlanText(text: string, opts: { agency?: string; source?: string; layout?: PlanLayout } = {}): Plan {
  const layout = opts.layout ?? detectLayout(text);
  if (!layout) {
    throw new PlanError('the document is neither a Hong Kong open data plan (sections A–D with 開放數據計劃) nor a Taiwan list with 資料集名稱 and 預計開放年月');
  }
  return layout === 'hk-plan' ? importHkPlan(text, opts) : importTwList(text, opts);
}

export async function importPlanFile(path: string, opts: { agency?: string; layout?: PlanLayout } = {}): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new PlanError(`cannot read ${path}: ${(e as Error).message}`);
  }
  return importPlanText(text, { ...opts, source: basename(path) });
}
