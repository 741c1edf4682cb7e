// Each answer mode end to end, through the real engine and an index on disk,
// on a small hand-made corpus: chat-style questions get the answer itself,
// cited, in their own language — or a refusal that says what is missing.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { Akhbar } from '../../src/core/engine.js';

const ARTICLES: Record<string, string> = {
  'port-nador.md': `---
title: "Le port Nador West Med ouvrira ses portes en 2026"
source: "Le Quotidien du Rif"
url: "https://example.com/nador"
date: "2024-03-14"
lang: fr
---
Par Samira Bennani
Le port Nador West Med ouvrira en 2026 et pourra traiter 3 millions de conteneurs par an, a annoncé mercredi l'Agence portuaire.

Le chantier a coûté 12 milliards de dirhams, financés par l'État et des banques de développement.

Le directeur général de l'Agence, Karim Ouazzani, a précisé que le port créera 2 400 emplois directs dans la région de l'Oriental.

Les premiers navires sont attendus au printemps, selon l'Agence, qui vise une part de 15 % du trafic de transbordement en Méditerranée.

Ses silos recevront chaque année 2 millions de quintaux de céréales importées.

À terme, le port de Nador West Med vise 3 milliards de dirhams de chiffre d'affaires par an.`,
  'solar-ouarzazate.md': `---
title: "Ouarzazate solar plant adds a fourth unit"
source: "Desert Energy News"
url: "https://example.com/solar"
date: "2023-11-20"
lang: en
---
The Noor solar complex near Ouarzazate added a fourth unit last month, raising its capacity to 580 megawatts.

The extension cost 2.1 billion dirhams and was built in 18 months by a consortium led by Sunbelt Power.

Sunbelt Power's chief executive, Laura Mendes, said the plant now supplies electricity to about one million homes.

The consortium built the new unit on the edge of the desert, next to the three older ones. Its choice of Ouarzazate was driven by the region's strong sunshine and cheap land.`,
  'noor-capacite.md': `---
title: "Noor Ouarzazate : une capacité revue à la hausse"
source: "Énergies du Sud"
url: "https://example.com/noor"
date: "2023-12-05"
lang: fr
---
Le complexe solaire Noor d'Ouarzazate affiche désormais une capacité de 600 mégawatts, selon l'agence nationale de l'énergie.`,
  'cafe-rabat.md': `---
title: "Un café littéraire ouvre à Rabat"
source: "Rabat Culture"
url: "https://example.com/cafe"
date: "2022-06-02"
lang: fr
---
Un café littéraire a ouvert ses portes hier dans la médina de Rabat, avec une bibliothèque de 4 000 livres.

Les lectures du samedi sont gratuites et ouvertes à tous les habitants du quartier.

La convention du café a été signée par le maire Hassan Idrissi et Nadia Berrada, présidente de l'association des libraires.`,
  'fibre-oujda.md': `---
title: "La fibre optique arrive à Oujda"
source: "L'Oriental Tech"
url: "https://example.com/fibre"
date: "2024-05-06"
lang: fr
---
Le déploiement de la fibre à Oujda mobilise plusieurs fournisseurs, selon la société Oriental Net, qui cite aussi des partenaires bancaires.

Les travaux dureront dix-huit mois et couvriront 40 000 foyers de la ville, reliés par un câble principal de 120 km.

Oriental Net collabore avec des acteurs reconnus du secteur, tels que « Nokia », Ericsson et « Cisco », pour équiper les quartiers.

Depuis Oujda, les nouveaux techniciens d'Oriental Net interviendront pour les clients de Berkane Telecom et de la région.

Installés dans les locaux du complexe Technopole Est, les techniciens disposent d'un atelier et d'un parking.

La société investira 5 millions de dirhams dans les startups locales et accompagnera 30 startups d'ici 2026.

Oriental Net, qui a connu Oujda dans le programme « Oriental Connecté 2020 », a lancé le chantier de la fibre.

C'est en 2012 qu'Oriental Net est arrivée dans la région.`,
};

describe('answer modes on a hand-made corpus', () => {
  let dir: string;
  let engine: Akhbar;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'akhbar-modes-'));
    const corpus = path.join(dir, 'corpus');
    mkdirSync(corpus);
    for (const [name, text] of Object.entries(ARTICLES)) writeFileSync(path.join(corpus, name), text);
    engine = await Akhbar.open(loadSettings({ CORPUS_DIR: corpus, INDEX_DIR: path.join(dir, 'index'), LOG_LEVEL: 'silent' }));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leads a fact with the figure in bold, then the quote', async () => {
    const a = await engine.ask('combien d emplois va creer le port de nador ?');
    expect(a).toMatchObject({ refused: false, language: 'fr' });
    expect(a.answer).toMatch(/^\*\*2 400 emplois[^*]*\*\* \[1\] : « /);
    expect(a.citations[0]?.articleId).toBe('port-nador');
  });

  it('answers an English question about a French article in English, with money', async () => {
    const a = await engine.ask('how much did the nador port cost?');
    expect(a).toMatchObject({ refused: false, language: 'en' });
    expect(a.answer).toMatch(/^\*\*12 milliards de dirhams\*\*/);
    expect(a.answer).toMatch(/Quoted verbatim, in French/);
  });

  it('resolves a weekday against the article date', async () => {
    const a = await engine.ask('quand l agence a annoncé l ouverture du port ?');
    expect(a.answer).toMatch(/\*\*mercredi\*\* \(soit 13 mars 2024\)/);
  });

  it('resolves "hier" and "last month" too', async () => {
    expect((await engine.ask('le café littéraire a ouvert quand ?')).answer).toMatch(/\(soit 1er juin 2022\)/);
    expect((await engine.ask('when was the fourth solar unit added?')).answer).toMatch(/\(that is, October 2023\)/);
  });

  it('names whoever runs a company, with the leader title next to the name', async () => {
    const a = await engine.ask('who runs sunbelt power?');
    expect(a.answer).toMatch(/^\*\*Laura Mendes\*\*/);
    const fr = await engine.ask('qui dirige sunbelt power ?');
    expect(fr).toMatchObject({ refused: false, language: 'fr' });
    expect(fr.answer).toMatch(/^\*\*Laura Mendes\*\*/);
  });

  it('summarises the article a request names: headline, outlet, date, central sentences', async () => {
    const a = await engine.ask("résume l'article sur le port de nador");
    expect(a.answer.split('\n')[0]).toBe('**Le port Nador West Med ouvrira ses portes en 2026** — Le Quotidien du Rif, 14 mars 2024 [1]');
    expect(a.answer.split('\n').filter((l) => l.startsWith('- '))).toHaveLength(3);
    expect(a.answer).toMatch(/3 millions de conteneurs/);
    expect(new Set(a.citations.map((c) => c.articleId))).toEqual(new Set(['port-nador']));
  });

  it('answers questions about an article from its metadata and byline', async () => {
    expect((await engine.ask('which outlet published the solar plant story?')).answer).toMatch(/\*\*Desert Energy News\*\*/);
    expect((await engine.ask("qui a écrit l'article sur le port de nador ?")).answer).toMatch(/\*\*Samira Bennani\*\*/);
  });

  it('settles a yes/no question by the evidence, in the question’s language', async () => {
    expect((await engine.ask('les lectures du samedi c gratuit ?')).answer).toMatch(/^Oui, d’après les articles/);
    expect((await engine.ask('is the solar plant capacity above 1000 megawatts?')).answer).toMatch(/^No, according to the articles/);
    // Names are part of the claim, in either language: a place no article gives is no "yes".
    expect((await engine.ask('the noor solar complex is near casablanca?')).answer).toMatch(/^No, according to the articles: “The Noor solar complex near Ouarzazate/);
    expect((await engine.ask('the noor solar complex is near ouarzazate?')).answer).toMatch(/^Yes, according to the articles/);
    // A word the evidence contradicts: "coal" against "solar".
    expect((await engine.ask('the noor complex near ouarzazate will run on coal?')).answer).toMatch(/^No, according to the articles/);
  });

  it('says the fact is missing, with what the articles do say, when the subject is there', async () => {
    const a = await engine.ask('quel est le salaire moyen au port de nador ?');
    expect(a).toMatchObject({ refused: true, language: 'fr' });
    expect(a.answer).toMatch(/^Les articles ne donnent pas cette information/);
    expect(a.citations[0]?.articleId).toBe('port-nador');
  });

  it('refuses a question about a name no article says, but not one that misspells a name they do', async () => {
    expect(await engine.ask('combien d emplois va creer le port de Zorblax ?')).toMatchObject({ refused: true, language: 'fr', citations: [] });
    const typo = await engine.ask('combien d emplois va creer le port de Nadr West Med ?');
    expect(typo).toMatchObject({ refused: false, language: 'fr' });
    expect(typo.answer).toMatch(/^\*\*2 400 emplois/);
  });

  it('refuses off-topic questions in their language, quoting nothing', async () => {
    for (const [q, lang] of [['score du match de foot hier soir ?', 'fr'], ['best pizza recipe?', 'en']] as const) {
      const a = await engine.ask(q);
      expect(a).toMatchObject({ refused: true, language: lang, citations: [] });
    }
  });

  it('says when two articles give different figures for the same thing, citing both', async () => {
    const a = await engine.ask('what is the capacity of the noor solar complex?');
    expect(a.answer).toMatch(/^\*\*(580 megawatts|600 mégawatts)\*\* \[1\]/);
    expect(a.answer).toMatch(/\((?:\*\*(580 megawatts|600 mégawatts)\*\*) according to \[2\]: the sources differ\)/);
    expect(new Set(a.citations.map((c) => c.articleId))).toEqual(new Set(['solar-ouarzazate', 'noor-capacite']));
  });

  it('lists the things a list question asks for, in bold, before the sentence that enumerates them', async () => {
    const fr = await engine.ask('oriental net travaille avec quels fournisseurs ?');
    expect(fr).toMatchObject({ refused: false, language: 'fr' });
    expect(fr.answer.split('\n')[1]).toMatch(/^- \*\*Nokia\*\*, \*\*Ericsson\*\*, \*\*Cisco\*\* : « Oriental Net collabore/);
    const en = await engine.ask('which suppliers does oriental net work with?');
    expect(en).toMatchObject({ refused: false, language: 'en' });
    expect(en.answer.split('\n')[1]).toMatch(/^- \*\*Nokia\*\*, \*\*Ericsson\*\*, \*\*Cisco\*\*: “Oriental Net collabore/);
    expect(en.citations[0]?.articleId).toBe('fibre-oujda');
  });

  it('names every person a sentence lists together for "who signed"', async () => {
    const a = await engine.ask('qui a signé la convention du café littéraire ?');
    expect(a.answer).toMatch(/^\*\*Hassan Idrissi\*\* et \*\*Nadia Berrada\*\* \[1\] : « La convention/);
  });

  it('answers "where" with a place, not an organisation after "de"', async () => {
    const a = await engine.ask("les nouveaux techniciens d'oriental net a oujda c'est ou exactement ?");
    expect(a.answer).toMatch(/^\*\*Technopole Est\*\*/);
  });

  it('answers "how many X" with the figure that names X, not one standing near it', async () => {
    const a = await engine.ask('combien de startups oriental net va accompagner ?');
    expect(a.answer).toMatch(/^\*\*30 startups\*\*/);
  });

  it('does not take the year in a programme’s name for a date', async () => {
    const a = await engine.ask('when did oriental net get to oujda?');
    expect(a).toMatchObject({ refused: false, language: 'en' });
    expect(a.answer).toMatch(/^\*\*en 2012\*\*/);
  });

  it('answers "how much money" with an amount, and never takes a turnover for a cost', async () => {
    for (const q of ['how much money did the port of nador west med cost?', 'quel est le cout du port de nador west med ?']) {
      const a = await engine.ask(q);
      expect(a.refused).toBe(false);
      expect(a.answer).toMatch(/^\*\*12 milliards de dirhams\*\*/);
    }
  });

  it('takes a weight in one unit for a weight asked in another', async () => {
    const a = await engine.ask('combien de tonnes de cereales recevront les silos du port de nador ?');
    expect(a).toMatchObject({ refused: false, language: 'fr' });
    expect(a.answer).toMatch(/^\*\*2 millions de quintaux\*\*/);
  });

  it('takes a figure’s unit for the attribute it measures', async () => {
    const a = await engine.ask('quelle est la longueur du cable principal a oujda ?');
    expect(a).toMatchObject({ refused: false, language: 'fr' });
    expect(a.answer).toMatch(/^\*\*120 km\*\* \[1\] : « /);
  });

  it('answers "where and when" as two questions, quoting the shared sentence once', async () => {
    const a = await engine.ask('quand et où le café littéraire a ouvert ?');
    expect(a.answer).toMatch(/^\*\*hier\*\* \(soit 1er juin 2022\) \[1\] : « Un café littéraire/);
    expect(a.answer).toMatch(/\n\*\*Rabat\*\* \[1\]$/);
  });

  it('answers "why" with the sentence that states the cause, even after the one that names everything', async () => {
    const a = await engine.ask('why did sunbelt power build the new unit near ouarzazate?');
    expect(a).toMatchObject({ refused: false, language: 'en' });
    expect(a.answer.split('\n')[1]).toContain('driven by the region');
    expect(a.citations[0]?.articleId).toBe('solar-ouarzazate');
  });

  it('answers both parts of a compound question', async () => {
    const a = await engine.ask('how big is the solar plant and how much did the extension cost?');
    expect(a.answer).toMatch(/580 megawatts/);
    expect(a.answer).toMatch(/2\.1 billion dirhams/);
    // Each part keeps its own lines in order; the note on French quotes comes once, last.
    const joined = (await engine.ask('what is the capacity of the noor solar complex and how much did the extension cost?')).answer.split('\n');
    expect(joined.findIndex((l) => /the sources differ/.test(l))).toBeLessThan(joined.findIndex((l) => /^\*\*2\.1 billion dirhams\*\*/.test(l)));
    expect(joined.filter((l) => l === '(Quoted verbatim, in French.)')).toHaveLength(1);
    expect(joined.at(-1)).toBe('(Quoted verbatim, in French.)');
  });
});
