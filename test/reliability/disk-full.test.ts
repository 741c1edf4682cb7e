// A full disk while the index is written: the CLI says so clearly, exits
// non-zero, and the previous index still answers. The disk is really full: a
// 1 MB tmpfs mounted in a user namespace (no root needed), filled up. Where user
// namespaces are disabled, a file size limit (ulimit -f) makes the same writes
// fail with EFBIG instead: another real kernel refusal on the same code path.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, scratchCorpus } from '../support/cli.js';

const QUESTION = "Combien d'emplois Inetum va-t-il créer d'ici 2027 ?";
const NEW_ARTICLE = 'eval/articles-dev/007-capgemini-deux-mou-1500-emplois.md';
const canUnshare = spawnSync('unshare', ['--user', '--map-root-user', '--mount', 'true']).status === 0;

/** Each step's exit code, stdout and stderr land in OUT/<step>.{code,out,err}. */
const SCRIPT = String.raw`
run() { step=$1; shift; node "$ROOT/bin/akhbar.js" "$@" --corpus "$CORPUS" --index "$INDEX" > "$OUT/$step.out" 2> "$OUT/$step.err"; echo $? > "$OUT/$step.code"; }
if [ "$MODE" = tmpfs ]; then mount -t tmpfs -o size=1m none "$DISK" || exit 90; fi
run build index --json
cp "$ROOT/$NEW_ARTICLE" "$CORPUS/"
if [ "$MODE" = tmpfs ]; then
  # Leave 12 KB: the lock file fits, the new generation does not.
  avail=$(df -k --output=avail "$DISK" | tail -1)
  dd if=/dev/zero of="$DISK/filler" bs=1k count=$((avail - 12)) 2>/dev/null
  run full index --json
  # Then not a byte left: even the lock file cannot be written.
  dd if=/dev/zero of="$DISK/filler2" bs=1k 2>/dev/null
  run full2 index --json
  rm -f "$DISK/filler2"
else
  (ulimit -f 8; run full index --json)
  cp "$OUT/full.code" "$OUT/full2.code"; cp "$OUT/full.out" "$OUT/full2.out"; cp "$OUT/full.err" "$OUT/full2.err"
fi
ls "$INDEX" > "$OUT/listing.out"
run ask ask --json "$QUESTION"
run sources sources --json
rm -f "$DISK/filler"
if [ "$MODE" = tmpfs ]; then run retry index --json; fi
`;

describe('a full disk while writing the index', () => {
  it(`fails with a clear message and keeps the old index answering (${canUnshare ? 'tmpfs, ENOSPC' : 'ulimit -f, EFBIG'})`, () => {
    const s = scratchCorpus();
    const disk = path.join(s.dir, 'disk');
    const out = path.join(s.dir, 'out');
    mkdirSync(disk);
    mkdirSync(out);
    const script = path.join(s.dir, 'full-disk.sh');
    writeFileSync(script, SCRIPT);
    const command = canUnshare ? ['unshare', '--user', '--map-root-user', '--mount', 'sh', script] : ['sh', script];
    const env = { ...process.env, ROOT, CORPUS: s.corpus, INDEX: path.join(disk, 'index'), DISK: disk, OUT: out, MODE: canUnshare ? 'tmpfs' : 'ulimit', QUESTION, NEW_ARTICLE, LLM_PROVIDER: 'none', EMBEDDINGS_PROVIDER: 'local' };
    const result = spawnSync(command[0]!, command.slice(1), { env, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const step = (name: string) => ({
      code: Number(readFileSync(path.join(out, `${name}.code`), 'utf8')),
      stdout: readFileSync(path.join(out, `${name}.out`), 'utf8'),
      stderr: readFileSync(path.join(out, `${name}.err`), 'utf8'),
    });

    const build = step('build');
    expect(build.code, build.stderr).toBe(0);
    expect(JSON.parse(build.stdout).articles).toBe(5);

    for (const name of ['full', 'full2']) {
      const full = step(name);
      expect(full.code, full.stderr).toBe(1);
      const cause = canUnshare ? /the disk is full \(ENOSPC\)/ : /a file size limit was reached \(EFBIG\)/;
      expect(full.stderr).toMatch(cause);
      expect(full.stderr).toMatch(/Could not write the index to .*The previous index is unchanged; free some space .* run `akhbar index` again\./);
      expect(full.stderr).not.toMatch(/at .*\.ts:\d+|Unexpected error/);
    }
    // The half-written generation was cleaned up: only the live one, CURRENT and nothing else.
    expect(readFileSync(path.join(out, 'listing.out'), 'utf8')).not.toMatch(/\.tmp/);

    const ask = step('ask');
    expect(ask.code, ask.stderr).toBe(0);
    const answer = JSON.parse(ask.stdout);
    expect(answer.refused).toBe(false);
    expect(answer.answer).toMatch(/1[ \u00a0\u202f,.]?500/);
    expect(answer.citations[0].articleId).toMatch(/^003_/);
    expect(JSON.parse(step('sources').stdout).articles).toHaveLength(5);

    if (canUnshare) {
      const retry = step('retry');
      expect(retry.code, retry.stderr).toBe(0);
      expect(JSON.parse(retry.stdout)).toMatchObject({ articles: 6, added: 1 });
    }
  });
});
