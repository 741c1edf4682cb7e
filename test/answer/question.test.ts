import { describe, expect, it } from 'vitest';
import { itemsAsked, searchText, understandQuestion } from '../../src/answer/question.js';

describe('question understanding', () => {
  it.each([
    ["résume l'article sur la banque verte", 'summary'],
    ['tl;dr of the port deal', 'summary'],
    ['can you sum up the airline story pls', 'summary'],
    ['quel journal a publié le papier sur le tramway ?', 'meta'],
    ['who wrote the piece on the new stadium', 'meta'],
    ['when was the article about the bridge published?', 'meta'],
    ['c quoi le projet de la banque verte', 'open'],
    ['what is the blue fund', 'open'],
    ['who is jane smallwood', 'open'],
    ['pourquoi acme s installe a rabat ?', 'open'],
    ['combien de salariés chez acme', 'fact'],
    ["c'est quoi le taux de chomage des jeunes ?", 'fact'],
    ['how much did the port cost', 'fact'],
    ['qui dirige acme ?', 'who'],
    ["who's the ceo of acme", 'who'],
    ["who's the transport minister?", 'who'],
    ['ou se trouve la nouvelle usine ?', 'where'],
    ['le salon ca se passe ou', 'where'],
    ['when did acme open its plant?', 'when'],
    ['la ligne a ouvert quand', 'when'],
    ['which ministers attended when the deal was signed?', 'list'],
    ['quels opérateurs ont eu une licence ?', 'list'],
    ['is the plant solar powered?', 'yesno'],
    ['le musée c gratuit ?', 'yesno'],
    ['the new plant will be solar?', 'yesno'],
    ['le musée sera payant ?', 'yesno'],
    ['capgemini expansion plans?', 'open'],
  ])('%s → %s', (question, intent) => {
    expect(understandQuestion(question).intent).toBe(intent);
  });

  it.each([
    ['how much did the port cost', 'money'],
    ['combien de salariés chez acme', 'number'],
    ['how old is the mayor', 'age'],
    ['how long is the training', 'duration'],
    ['how long will the new bridge be?', 'extent'],
    ['quelle est la longueur du pont ?', 'number'],
    ["c'est quoi le taux de chomage ?", 'percent'],
    ['when did it open', 'date'],
    ['qui dirige acme ?', 'person'],
  ])('%s asks for a %s', (question, type) => {
    expect(understandQuestion(question).answerType).toBe(type);
  });

  it('marks questions about whoever runs something', () => {
    expect(understandQuestion('who runs acme?').asksLeader).toBe(true);
    expect(understandQuestion('qui a signé le contrat ?').asksLeader).toBe(false);
  });

  it('keeps the subject and drops the asking words', () => {
    expect(understandQuestion("Tu peux me résumer l'article sur la banque verte ?").subject).toBe('sur la banque verte');
    expect(understandQuestion('quick tldr of the port news pls').subject).toBe('of the port');
  });

  it.each([
    ['In what year did Acme set up in Rabat?', 'did Acme set up in Rabat?'],
    ['en quelle année la ligne a-t-elle ouvert ?', 'la ligne a-t-elle ouvert ?'],
    ['which city hosts the fair', 'hosts the fair'],
    ['dans quel pays est le siège', 'est le siège'],
  ])('searches "%s" without the kind of answer it asks for', (question, searched) => {
    expect(searchText(question)).toBe(searched);
  });

  it('keeps words that only look like an asked kind', () => {
    expect(searchText('how many years will the works take')).toBe('how many years will the works take');
    expect(searchText('what year')).toBe('what year');
  });

  it('counts the things a question asks about by number', () => {
    expect(itemsAsked('tl;dr des 3 conventions signées par la mairie')).toBe(3);
    expect(itemsAsked('summarize the two deals')).toBe(2);
    expect(itemsAsked('résume les trois accords')).toBe(3);
    expect(itemsAsked('summarize the 2030 plan')).toBeUndefined();
    expect(itemsAsked('what do the 300 engineers do')).toBeUndefined();
  });
});
