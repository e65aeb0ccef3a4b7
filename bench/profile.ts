// A short reading of a V8 .cpuprofile (node --cpu-prof): self time by package and by function.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Everything but (idle): what the process spent CPU on. */
  busyMs: number;
  byPackage: { name: string; ms: number; share: number }[];
  byFunction: { name: string; ms: number; share: number }[];
}

/** Where a frame's code lives: a package, the project, Node itself, or V8's own buckets. */
function packageOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (core)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `project (${url.slice(dist + '/dist/'.length).split('/')[0]})`;
  return url;
}

/** `skipMs`: leave out the first milliseconds of the profile (the server's start-up). */
export function summarizeProfile(path: string, skipMs = 0, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    atUs += delta;
    if (atUs >= skipMs * 1000) selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });

  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const frame = nodes.get(id)!.callFrame;
    totalUs += us;
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const pkg = packageOf(frame.url, frame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    const file = frame.url === '' ? '' : ` ${frame.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${frame.lineNumber + 1}`;
    const name = `${frame.functionName || '(anonymous)'}${file}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: busyUs > 0 ? us / busyUs : 0 }));
  return { totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), byPackage: ranked(packages), byFunction: ranked(functions) };
}

/** `requests`: answered while profiled, for the busy time per request. */
export function formatProfile(label: string, summary: ProfileSummary, requests: number): string {
  const pct = (share: number): string => `${(share * 100).toFixed(1)}%`;
  const perRequest = requests > 0 ? `, ${((summary.busyMs / requests) * 1000).toFixed(0)} us per request over ${requests} requests` : '';
  return [
    `CPU profile of ${label}, after start-up: ${summary.busyMs} ms busy (not idle) of ${summary.totalMs} ms${perRequest}`,
    '  self time by package:',
    ...summary.byPackage.map((p) => `    ${pct(p.share).padStart(6)}  ${p.name}`),
    '  self time by function:',
    ...summary.byFunction.map((f) => `    ${pct(f.share).padStart(6)}  ${f.name}`),
  ].join('\n');
}
