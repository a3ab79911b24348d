import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CONTENT_PLACEHOLDERS, contentEn, fillPlaceholders } from '../../../src/core/walkthrough/content-en';
import { contentJa } from '../../../src/core/walkthrough/content-ja';
import type { StepContent } from '../../../src/core/walkthrough/content-types';
import { EXPLORER_SHOWN_CONTEXT, STEP_IDS } from '../../../src/core/walkthrough/step-ids';

const FIELDS = ['title', 'summary', 'what', 'why', 'insights', 'observe', 'actionLabel', 'checkLabel', 'successText'] as const;
type Field = (typeof FIELDS)[number];

/** Hiragana and katakana (incl. the long-vowel mark and half-width katakana). */
const KANA = /[\u3041-\u309f\u30a0-\u30ff\uff66-\uff9f]/;
/** CJK ideographs and full-width punctuation — none of it belongs in the English texts. */
const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff01-\uff0f]/;
const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

const LANGS = { en: contentEn, ja: contentJa } as const;

const texts = (c: StepContent, f: Field): string[] => {
  const v = c[f];
  return Array.isArray(v) ? v : [v];
};
const placeholders = (c: StepContent, f: Field): string[] =>
  [...new Set(texts(c, f).flatMap((s) => [...s.matchAll(PLACEHOLDER)].map((m) => m[1])))].sort();

describe('walkthrough content', () => {
  for (const [lang, content] of Object.entries(LANGS)) {
    it(`${lang}: has exactly the step ids of step-ids.ts`, () => {
      assert.deepEqual(Object.keys(content).sort(), [...STEP_IDS].sort());
      for (const id of STEP_IDS) assert.ok(content[id], `${lang} is missing ${id}`);
    });

    it(`${lang}: every step has every field, none empty`, () => {
      for (const id of STEP_IDS) {
        for (const f of FIELDS) {
          const v = content[id][f];
          if (f === 'insights' || f === 'observe') {
            assert.ok(Array.isArray(v) && v.length > 0, `${lang} ${id}.${f} is an empty list`);
          } else {
            assert.equal(typeof v, 'string', `${lang} ${id}.${f} is not a string`);
          }
          for (const s of texts(content[id], f)) assert.ok(s.trim().length > 0, `${lang} ${id}.${f} has an empty text`);
        }
      }
    });

    it(`${lang}: only known placeholders`, () => {
      for (const id of STEP_IDS) {
        for (const f of FIELDS) {
          for (const p of placeholders(content[id], f)) {
            assert.ok(p in CONTENT_PLACEHOLDERS, `${lang} ${id}.${f} uses unknown placeholder {${p}}`);
          }
        }
      }
    });

    it(`${lang}: titles and labels are one line`, () => {
      for (const id of STEP_IDS) {
        for (const f of ['title', 'summary', 'actionLabel', 'checkLabel'] as const) {
          assert.ok(!content[id][f].includes('\n'), `${lang} ${id}.${f} spans several lines`);
        }
      }
    });

    it(`${lang}: code fences are balanced`, () => {
      for (const id of STEP_IDS) {
        for (const f of FIELDS) {
          for (const s of texts(content[id], f)) {
            assert.equal((s.match(/```/g) ?? []).length % 2, 0, `${lang} ${id}.${f} has an unclosed code fence`);
          }
        }
      }
    });
  }

  it('the Japanese texts are Japanese (every text contains kana)', () => {
    for (const id of STEP_IDS) {
      for (const f of FIELDS) {
        for (const s of texts(contentJa[id], f)) assert.match(s, KANA, `ja ${id}.${f}: "${s.slice(0, 60)}" has no kana`);
      }
    }
  });

  it('the English texts contain no kana and no CJK characters', () => {
    for (const id of STEP_IDS) {
      for (const f of FIELDS) {
        for (const s of texts(contentEn[id], f)) {
          assert.doesNotMatch(s, KANA, `en ${id}.${f}: "${s.slice(0, 60)}" contains kana`);
          assert.doesNotMatch(s, CJK, `en ${id}.${f}: "${s.slice(0, 60)}" contains CJK characters`);
        }
      }
    }
  });

  it('both languages use the same placeholders in the same fields', () => {
    for (const id of STEP_IDS) {
      for (const f of FIELDS) {
        assert.deepEqual(placeholders(contentJa[id], f), placeholders(contentEn[id], f), `${id}.${f}`);
      }
    }
  });

  it('{endpoint} only appears in code (its fallback "<ALB DNS name>" would otherwise be read as HTML)', () => {
    for (const [lang, c] of Object.entries(LANGS)) {
      for (const id of STEP_IDS) {
        for (const f of FIELDS) {
          for (const text of texts(c[id], f)) {
            const outsideCode = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`]*`/g, '');
            assert.ok(!outsideCode.includes('{endpoint}'), `${lang} ${id}.${f}: {endpoint} outside a code span`);
          }
        }
      }
    }
  });

  it('both languages have the same number of insights and observations per step', () => {
    for (const id of STEP_IDS) {
      assert.equal(contentJa[id].insights.length, contentEn[id].insights.length, `${id}.insights`);
      assert.equal(contentJa[id].observe.length, contentEn[id].observe.length, `${id}.observe`);
    }
  });

  it("the texts carry the article's values where they are taught", () => {
    for (const [lang, c] of Object.entries(LANGS)) {
      const all = (id: (typeof STEP_IDS)[number]) => FIELDS.flatMap((f) => texts(c[id], f)).join('\n');
      assert.match(all('task-definition'), /uzresk\/demo:ver1\.0/, lang);
      assert.match(all('task-definition'), /8080/, lang);
      assert.match(all('release'), /ver2\.0/, lang);
      assert.match(all('bluegreen-port-conflict'), /is already using a port required by your task/, lang);
      assert.match(all('bluegreen-port-conflict'), /maximumPercent 200/, lang);
      assert.match(all('kill-container'), /502 Bad Gateway/, lang);
      assert.match(all('autoscaling-run'), /ab -n 100000 -c 100 \{endpoint\}\/app\/loginForm/, lang);
      assert.match(all('autoscaling-run'), /openssl speed/, lang);
      assert.match(all('autoscaling-service'), /20%/, lang);
    }
  });

  it('fillPlaceholders uses the given values, falls back to the article and leaves unknown braces alone', () => {
    assert.equal(fillPlaceholders('{cluster}/{service}', { cluster: 'my-cluster' }), 'my-cluster/demo-service');
    assert.equal(fillPlaceholders('{endpoint}/app/', { endpoint: 'http://127.0.0.1:8081' }), 'http://127.0.0.1:8081/app/');
    assert.equal(fillPlaceholders('{unknown} {loadBalancer}'), '{unknown} app-demo-lb');
    assert.equal(fillPlaceholders('{family}', { family: '' }), 'demo-app-task');
    assert.equal(fillPlaceholders('{targetGroup}', { loadBalancer: 'my-lb' }), 'my-lb-tg');
    assert.equal(fillPlaceholders('{targetGroup}'), 'app-demo-lb-tg');
    assert.equal(fillPlaceholders('{endpoint}/app/', { endpoint: 'http://127.0.0.1:8081/' }), 'http://127.0.0.1:8081/app/');
    assert.equal(fillPlaceholders('{count}', { count: 3 } as never), '{count}');
    const filled = fillPlaceholders(contentJa['create-service'].what, { endpoint: 'http://127.0.0.1:9000' });
    assert.doesNotMatch(filled, PLACEHOLDER);
    assert.match(filled, /http:\/\/127\.0\.0\.1:9000\/app\//);
  });
});

describe('native walkthrough (package.json contributes.walkthroughs)', () => {
  const root = join(__dirname, '..', '..', '..');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const nls: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.nls.json'), 'utf8'));
  const nlsJa: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.nls.ja.json'), 'utf8'));
  const walkthrough = (pkg.contributes.walkthroughs ?? []).find((w: { id: string }) => w.id === 'ecsHandson.handsOn');
  const commands = new Set<string>((pkg.contributes.commands ?? []).map((c: { command: string }) => c.command));
  const keyOf = (v: string) => /^%(.+)%$/.exec(v)?.[1];
  interface NativeStep { id: string; title: string; description: string; media: { markdown?: string }; completionEvents: string[] }
  const steps: NativeStep[] = walkthrough?.steps ?? [];

  it('exists with localised title and description', () => {
    assert.ok(walkthrough, 'no walkthrough ecsHandson.handsOn');
    for (const v of [walkthrough.title, walkthrough.description]) {
      const k = keyOf(v);
      assert.ok(k && nls[k] && nlsJa[k], `${v} missing in package.nls(.ja).json`);
      assert.match(nlsJa[k], KANA);
    }
  });

  it('has one step per major section, each with localised texts, a markdown page and completion events', () => {
    assert.deepEqual(steps.map((s) => s.id), ['open', 'cluster', 'taskDefinition', 'loadBalancer', 'service', 'killContainer', 'release', 'blueGreen', 'autoScaling', 'cleanup']);
    for (const s of steps) {
      for (const v of [s.title, s.description]) {
        const k = keyOf(v);
        assert.ok(k && nls[k] && nlsJa[k], `${s.id}: ${v} missing in package.nls(.ja).json`);
        assert.match(nlsJa[k], KANA, `${s.id}: ${k} (ja) is not Japanese`);
        assert.doesNotMatch(nls[k], KANA, `${s.id}: ${k} (en) contains kana`);
        // VS Code 1.99 shows code spans in walkthrough descriptions with their backticks.
        for (const text of [nls[k], nlsJa[k]]) assert.ok(!text.includes('`'), `${s.id}: ${k} uses a code span`);
      }
      assert.ok(s.media.markdown && existsSync(join(root, s.media.markdown)), `${s.id}: markdown ${s.media.markdown} missing`);
      assert.ok(s.completionEvents.length > 0, `${s.id}: no completion events`);
    }
  });

  it('completes on the walkthrough panel context keys of real step ids and on contributed commands', () => {
    for (const s of steps) {
      for (const e of s.completionEvents) {
        const ctx = /^onContext:ecsHandson\.walkthrough\.(?:done\.(.+)|(.+)Done)$/.exec(e);
        const cmd = /^onCommand:(.+)$/.exec(e);
        if (ctx) assert.ok((STEP_IDS as readonly string[]).includes(ctx[1] ?? ctx[2]), `${s.id}: ${e} names no step`);
        else if (cmd) assert.ok(cmd[1] === 'ecsHandson.walkthrough.open' || commands.has(cmd[1]), `${s.id}: ${e} is not a contributed command`);
        else if (e !== `onContext:${EXPLORER_SHOWN_CONTEXT}`) assert.match(e, /^onView:ecsHandson\.explorer$/, `${s.id}: unexpected event ${e}`);
      }
    }
  });

  it('links only to contributed commands, and opens the panel at real step ids', () => {
    for (const s of steps) {
      for (const text of [nls[keyOf(s.description)!], nlsJa[keyOf(s.description)!]]) {
        for (const m of text.matchAll(/\(command:([A-Za-z0-9_.]+)(?:\?([^)]*))?\)/g)) {
          const [, id, query] = m;
          assert.ok(id === 'ecsHandson.walkthrough.open' || id === 'workbench.view.extension.ecsHandson' || commands.has(id), `${s.id}: link to ${id}`);
          if (query) {
            const args = JSON.parse(decodeURIComponent(query));
            assert.ok(Array.isArray(args) && (STEP_IDS as readonly string[]).includes(args[0]), `${s.id}: bad argument ${query}`);
          }
        }
      }
    }
  });

  it('the markdown pages reference only files that exist', () => {
    for (const s of steps) {
      const md = readFileSync(join(root, s.media.markdown!), 'utf8');
      for (const m of md.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
        assert.ok(existsSync(join(root, dirname(s.media.markdown!), m[1])), `${s.media.markdown}: ${m[1]} missing`);
      }
    }
  });

  it('the construction-order diagram is well-formed SVG with a title, and keeps to theme-neutral colours', () => {
    const svg = readFileSync(join(root, 'media/walkthrough/construction-order.svg'), 'utf8');
    assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*viewBox=/);
    assert.match(svg, /<title[^>]*>[^<]+<\/title>/);
    for (const w of ['Cluster', 'Task definition', 'Load balancer', 'Service', 'demo-cluster', 'app-demo-lb', 'demo-service', 'demo-app-task']) assert.ok(svg.includes(w), w);
    // No pure black / white backgrounds that would vanish on one of the themes.
    assert.doesNotMatch(svg, /<rect[^>]*fill="#(000|000000)"/i);
    assert.doesNotMatch(svg, /<rect[^>]*fill="#(fff|ffffff)"/i);
  });
});
