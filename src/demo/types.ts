// The demo portal's shape: agencies, datasets, resources and the truth each carries (see portal.ts, which builds it,
// and content.ts, which serves its bodies).
import type { Badge } from '../model.ts';
import type { DatasetScenarioId, ScenarioId } from './scenarios.ts';

export type DemoFormat = 'CSV' | 'JSON' | 'XML' | 'PDF' | 'ODT';

export interface DemoColumn {
  name: string;
  alias: string;
  kind: string;
}

export interface DemoAgency {
  name: string;
  /** short latin name, used in paths and host labels */
  slug: string;
  /** index into the server's agency hosts */
  hostIndex: number;
}

export interface DemoResource {
  index: number;
  /** `${datasetId}#${index}`, as catalogue adapters name resources */
  id: string;
  /** the platform-style id, e.g. A17000000J-006001-0 */
  resourceId: string;
  /** path on the agency host */
  path: string;
  format: DemoFormat;
  description: string;
  /** 編碼格式 as declared */
  declaredEncoding: string;
  /** 主要欄位說明 as declared (free text) */
  declaredFields: string;
  /** the API's resourceField shape for this resource */
  fieldStyle: 'string' | 'list';
  declaredColumns: DemoColumn[];
  /** the columns the file really has */
  columns: DemoColumn[];
  recordCount: number;
  lineEnding: '\r\n' | '\n';
  /** ISO 8601 with +08:00: when the resource last changed (served as Last-Modified) */
  updatedAt: string;
  scenario: ScenarioId;
  oas?: { path: string; valid: boolean; format: 'yaml' | 'json' };
  /** the platform's per-resource qcLevel text */
  qcLevel: string;
  truth: { badge: Badge; fails?: string; transient?: boolean; expect: string };
}

export interface DemoDataset {
  id: string;
  /** 編號 in seed 004 附件一 */
  no: number;
  title: string;
  agency: string;
  description: string;
  category: string;
  providerAttribute: string;
  uploadMethod: string;
  license: string;
  cost: string;
  frequency: string;
  /** the API gives some frequencies as {regularupdate, Frequency, unittime} */
  frequencyStyle: 'string' | 'object';
  contactName: string;
  contactPhone: string;
  /** 上架日期 YYYY-MM-DD */
  publishedAt: string;
  /** ISO 8601 with +08:00 */
  metadataUpdatedAt: string;
  /** 詮釋資料更新時間 as the export writes it: `YYYY-MM-DD HH:mm:ss.000000`, Taiwan time, no zone */
  metadataUpdatedAtText: string;
  /** 品質檢測: the platform's own published badge text */
  officialBadgeText: string;
  usage: { views: number; downloads: number };
  /** listed in 附件二 (added between 2017-04-19 and 2017-10-30) */
  newIn2017: boolean;
  resources: DemoResource[];
  /** every non-ok scenario of the dataset and its resources */
  scenarios: (ScenarioId | DatasetScenarioId)[];
  /** the badge a correct checker gives this dataset */
  expectedBadge: Badge;
  truth: {
    /** the platform's 品質檢測 agrees with expectedBadge */
    officialAgrees: boolean;
    /** has an OpenAPI document that validates (agency score bonus) */
    expectedBonus: boolean;
    stale: boolean;
  };
}

export interface DemoPortal {
  seed: number;
  /** ISO 8601: the instant all relative times were computed from */
  now: string;
  source: string;
  agencies: DemoAgency[];
  datasets: DemoDataset[];
}
