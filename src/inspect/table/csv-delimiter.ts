// Delimiter detection on a sample of the text: the candidate that splits the most lines into the same number of
// fields wins. Quote-aware, so commas inside "1,234" do not vote.

export const DELIMITER_CANDIDATES = [',', ';', '\t', '|'] as const;

export interface DelimiterGuess {
  delimiter: string;
  /** lines of the sample that have the modal number of delimiters */
  consistentLines: number;
  sampledLines: number;
  evidence: string;
}

const MAX_LINES = 200;

/** Count each candidate per logical line (line breaks inside quotes do not end a line). */
function countPerLine(sample: string, complete: boolean): Map<string, number[]> {
  // Plain counters on character codes, not a Map per character: this runs on every CSV an audit inspects (twice).
  const perLine: number[][] = DELIMITER_CANDIDATES.map(() => []);
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let pipe = 0;
  let inQuotes = false;
  let lineHasContent = false;
  let lines = 0;
  const flush = (): void => {
    if (lineHasContent) {
      perLine[0].push(comma);
      perLine[1].push(semicolon);
      perLine[2].push(tab);
      perLine[3].push(pipe);
      lines++;
    }
    comma = semicolon = tab = pipe = 0;
    lineHasContent = false;
  };
  for (let i = 0; i < sample.length && lines < MAX_LINES; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0x22) {
      inQuotes = !inQuotes;
      lineHasContent = true;
    } else if (inQuotes) {
      if (c !== 0x20) lineHasContent = true;
    } else if (c === 0x0a || c === 0x0d) {
      flush();
    } else if (c === 0x2c) {
      comma++;
      lineHasContent = true;
    } else if (c === 0x3b) {
      semicolon++;
      lineHasContent = true;
    } else if (c === 0x09) {
      tab++;
      lineHasContent = true;
    } else if (c === 0x7c) {
      pipe++;
      lineHasContent = true;
    } else if (c !== 0x20) {
      lineHasContent = true;
    }
  }
  // the last line of a cut sample may be partial: only count it when the sample is the whole text
  if (complete && lines < MAX_LINES) flush();
  return new Map(DELIMITER_CANDIDATES.map((d, k) => [d, perLine[k]]));
}

function mode(values: number[]): { value: number; count: number } {
  const freq = new Map<number, number>();
  for (const v of values) freq.set(v, (freq.get(v) ?? 0) + 1);
  let best = { value: 0, count: 0 };
  for (const [value, count] of freq) {
    if (count > best.count || (count === best.count && value > best.value)) best = { value, count };
  }
  return best;
}

export function detectDelimiter(sample: string, complete = true): DelimiterGuess {
  const counts = countPerLine(sample, complete);
  let best: DelimiterGuess | undefined;
  for (const d of DELIMITER_CANDIDATES) {
    const per = counts.get(d)!;
    const withAny = per.filter((n) => n > 0);
    if (withAny.length === 0) continue;
    const m = mode(withAny);
    // lines with the modal count; lines with none of this delimiter count against it
    const consistent = per.filter((n) => n === m.value).length;
    const guess: DelimiterGuess = {
      delimiter: d,
      consistentLines: consistent,
      sampledLines: per.length,
      evidence: `${JSON.stringify(d)} splits ${consistent} of ${per.length} sampled lines into ${m.value + 1} fields`,
    };
    if (!best || consistent > best.consistentLines) best = guess;
  }
  return (
    best ?? {
      delimiter: ',',
      consistentLines: 0,
      sampledLines: counts.get(',')!.length,
      evidence: 'no delimiter found in the sample: a single column',
    }
  );
}
