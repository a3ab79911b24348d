import assert from 'node:assert/strict';
import { CONTENT_PLACEHOLDERS, contentEn, fillPlaceholders } from '../../../src/core/walkthrough/content-en';
import { contentJa } from '../../../src/core/walkthrough/content-ja';
import type { StepContent } from '../../../src/core/walkthrough/content-types';
import { STEP_IDS } from '../../../src/core/walkthrough/step-ids';

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
