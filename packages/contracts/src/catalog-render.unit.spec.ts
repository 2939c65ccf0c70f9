import { describe, expect, it } from 'vitest';
import { renderCatalog } from './catalog-render.ts';

const catalog = renderCatalog().get('events.md')!;

describe('catalog rendering', () => {
  it('lists the members of nested objects and of list items under their path', () => {
    expect(catalog).toContain('| `allegedPlace.country` | [Country](#countries) | yes | where it is alleged to happen |');
    expect(catalog).toContain('| `persons[].personId` | ULID | yes |  |');
    expect(catalog).toContain('| `persons[].person.idNumber` | [sealed personal field](#sealed-personal-fields) | no | citizen ID, passport or other document number |');
  });

  it('shows a sealed field as one opaque value, never the members of its envelope', () => {
    expect(catalog).toContain('| `statement` | [sealed personal field](#sealed-personal-fields) | yes |');
    expect(catalog).not.toMatch(/`[\w.[\]]*\.(ct|iv|tag|kid)`/);
  });

  it('links long vocabularies to the reference data instead of repeating them', () => {
    expect(catalog).toContain('| `province` | [Province](#provinces) | yes |');
    expect(catalog).toContain('| Lâm Đồng | province | Lâm Đồng, Đắk Nông, Bình Thuận |');
    expect(catalog).toContain('| Mộc Bài | Tây Ninh | KH | Bavet |');
    expect(catalog).not.toContain('`Bà Rịa - Vũng Tàu` \\|');
  });

  it('renders the same bytes every time', () => {
    expect(renderCatalog()).toEqual(renderCatalog());
  });
});
