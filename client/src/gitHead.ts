// What "Compare with HEAD" reads, and what git's complaints mean, for both ways of reading
// (the git extension's API and the `git show` fallback). No Node or editor imports: the web
// entry bundles it too.

export type HeadText = { readonly ok: true; readonly text: string; readonly label: string } | { readonly ok: false; readonly problem: string };

/** What git's complaint about `git show HEAD:PATH` means for a person (not committed, no commit yet...). */
export function headProblem(name: string, stderr: string): string {
  const s = stderr.trim();
  if (/not a git repository/i.test(s)) return `${name} is not in a git repository`;
  if (/exists on disk, but not in 'HEAD'|does not exist in 'HEAD'|path .* does not exist/i.test(s)) return `${name} is not committed: there is no version of it at HEAD (commit it first)`;
  if (/invalid object name 'HEAD'|bad revision 'HEAD'|unknown revision|ambiguous argument 'HEAD'/i.test(s)) return 'the repository has no commit yet';
  return `git could not read ${name} at HEAD: ${s.split('\n')[0] || 'no reason given'}`;
}

