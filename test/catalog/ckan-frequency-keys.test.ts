// CKAN portals keep 更新頻率 under their own extras keys: dados.gov.br under "Frequência de atualização" and
// "Periodicidade" (Mensal, Anual, Diário…). Read from the real corpus, and configurable per catalogue.
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCkanSource } from '../../src/catalog/ckan.ts';
import { datasetFromCkanPackage, type CkanPackage } from '../../src/catalog/ckan-package.ts';
import type { Dataset } from '../../src/model.ts';

const DIR = resolve(import.meta.dirname, '../../fixtures/corpora/ckan-dadosgovbr');

/** Every distinct package in the dados.gov.br corpus, normalised. */
function corpusDatasets(): Map<string, Dataset> {
  const out = new Map<string, Dataset>();
  for (const f of readdirSync(DIR).filter((n) => n.endsWith('.json') && n !== 'MANIFEST.json')) {
    const r = (JSON.parse(readFileSync(resolve(DIR, f), 'utf8')) as { result?: unknown }).result;
    // package_search: { results: [...] }; group_package_show: [...]; package_show: the package itself
    const pkgs = (Array.isArray(r) ? r : Array.isArray((r as { results?: unknown })?.results) ? (r as { results: unknown[] }).results
      : typeof (r as { name?: unknown })?.name === 'string' ? [r] : []) as CkanPackage[];
    for (const p of pkgs) out.set(String(p.name), datasetFromCkanPackage(p));
  }
  return out;
}

describe('CKAN update frequency under Portuguese extras keys (dados.gov.br corpus)', () => {
  const ds = corpusDatasets();
  const missing = [...ds.values()].filter((d) => d.findings.some((f) => f.code === 'catalog-frequency-missing'));

  it('32 of the 47 packages declare a frequency; none of them is reported missing, and none is unknown', () => {
    expect(ds.size).toBe(47);
    expect([...ds.values()].filter((d) => d.declared.frequency).length).toBe(32);
    expect(missing.length).toBe(15);
    expect([...ds.values()].filter((d) => d.findings.some((f) => f.code === 'catalog-frequency-unknown'))).toEqual([]);
  });

  it('reads each key spelling the portal uses', () => {
    expect(ds.get('corridas-do-taxigov')!.declared.frequency).toBe('diária'); // Frequência de atualização
    expect(ds.get('siorg')!.declared.frequency).toBe('Em tempo real'); // Frequência de Atualização dos Dados
    expect(ds.get('contratoshuufgd1')!.declared.frequency).toBe('Semestral'); // Periodicidade
    expect(ds.get('ifes-contratos')!.declared.frequency).toBe('Trimestral');
  });

  it('a portal-specific key is given with frequencyKey= on the catalogue source, and wins over the built-in keys', () => {
    expect(parseCkanSource('ckan:https://ckan.example/?frequencyKey=Cadence&frequencyKey=Rhythm').frequencyKeys).toEqual(['Cadence', 'Rhythm']);
    const pkg: CkanPackage = { name: 'x', extras: [{ key: 'cadence', value: 'Mensal' }, { key: 'frequency', value: 'Anual' }] };
    expect(datasetFromCkanPackage(pkg).declared.frequency).toBe('Anual');
    expect(datasetFromCkanPackage(pkg, { frequencyKeys: ['Cadence'] }).declared.frequency).toBe('Mensal');
  });

  it('DCAT-AP keeps it as an EU authority URI under dct:accrualPeriodicity', () => {
    const d = datasetFromCkanPackage({ name: 'eu', extras: [{ key: 'dct:accrualPeriodicity', value: 'http://publications.europa.eu/resource/authority/frequency/MONTHLY' }] });
    expect(d.declared.frequency).toBe('http://publications.europa.eu/resource/authority/frequency/MONTHLY');
    expect(d.findings.map((f) => f.code)).not.toContain('catalog-frequency-unknown');
  });
});
