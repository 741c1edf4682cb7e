import { describe, expect, it } from 'vitest';
import { enumerationOf } from '../../src/answer/enumeration.js';

const items = (sentence: string) => enumerationOf(sentence).map((i) => i.text);

describe('enumerations in a sentence', () => {
  it('finds quoted names after an introducer, stopping where the last name ends', () => {
    const s = 'La société coopère avec des acteurs clés, tels que « Atlas Net », » Rif Mobile » et « Sahara Tel » pour apporter des services.';
    expect(enumerationOf(s)).toEqual([
      { text: 'Atlas Net', name: true },
      { text: 'Rif Mobile', name: true },
      { text: 'Sahara Tel', name: true },
    ]);
  });

  it('takes phrases after a colon as items', () => {
    expect(items('Trois axes guident le plan : la formation des jeunes, la modernisation des ports et le soutien aux exportateurs.')).toEqual([
      'la formation des jeunes',
      'la modernisation des ports',
      'le soutien aux exportateurs',
    ]);
  });

  it('counts a phrase that ends in a name as a name, with an Oxford comma', () => {
    const found = enumerationOf('The consortium includes US-based Orbit Labs, chipmaker Voltix, and investment firm Cedar Capital.');
    expect(found.map((i) => i.text)).toEqual(['US-based Orbit Labs', 'chipmaker Voltix', 'investment firm Cedar Capital']);
    expect(found.every((i) => i.name)).toBe(true);
  });

  it('finds names closing a clause without an introducer', () => {
    expect(items('The operator signed deals to buy 40 trains from Portugal, Chile and South Africa.')).toEqual(['Portugal', 'Chile', 'South Africa']);
  });

  it('takes two names, but not two verbs or a name joined inside a longer one', () => {
    expect(items('Il travaille avec Alstom et Siemens sur ce projet.')).toEqual(['Alstom', 'Siemens']);
    expect(items('Le groupe veut apporter des solutions et développer des services.')).toEqual([]);
    expect(items("The Ministry of Digital Transition and Administrative Reform announced three agreements.")).toEqual([]);
  });

  it('does not take names mixed with clauses, or phrases one of which is a clause', () => {
    expect(items("Les ministres présents, dont Nadia Alami et Omar Berrada, ont salué l'accord, ont visité le site et ont rencontré les équipes.")).toEqual([
      'Nadia Alami',
      'Omar Berrada',
    ]);
    expect(items('Il veut développer des outils, notamment à travers des logiciels, qui sont essentiels pour la sécurité et la gestion des données.')).toEqual([]);
  });

  it('does not take clauses for items', () => {
    expect(items('En tant que programme de formation, le dispositif se distingue par son approche pratique et orientée vers l’emploi.')).toEqual([]);
  });
});
