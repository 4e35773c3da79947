import assert from 'node:assert/strict';
import { latToY, lonToX } from '../../../src/core/tile_math.js';
import { seededRandom } from '../../../src/core/seeded_random.js';
import { pieceCuts, renderPiece, viewPieces, type MercatorArea, type ViewPiece } from '../../../src/render/view_pieces.js';

/** Where CSS pixel (px, py) of a piece's viewport lies in the world, in CSS pixels at the area's zoom. */
function worldPixel(p: ViewPiece, px: number, py: number, zoom: number): [number, number] {
  const world = 512 * 2 ** zoom;
  return [lonToX(p.view.center[0]) * world - p.viewWidth / 2 + px, latToY(p.view.center[1]) * world - p.viewHeight / 2 + py];
}

function randomArea(rand: () => number): MercatorArea {
  const zoom = 2 + rand() * 16;
  const world = 512 * 2 ** zoom;
  const width = 1 + Math.floor(rand() * Math.min(5000, world));
  const height = 1 + Math.floor(rand() * Math.min(5000, world));
  return { x: rand() * (1 - width / world), y: rand() * (1 - height / world), width, height, zoom };
}

describe('render/view_pieces', () => {
  it('cuts an axis into equal pieces but the last, none larger than asked', () => {
    assert.deepEqual(pieceCuts(1000, 400), [0, 334, 668, 1000]);
    assert.deepEqual(pieceCuts(300, 400), [0, 300]);
  });

  it('tiles any area exactly with its pieces, each within the size limit, its crop at its own place in the world', () => {
    const rand = seededRandom(15);
    for (let t = 0; t < 200; t++) {
      const area = randomArea(rand);
      const maxPiece = 64 + Math.floor(rand() * 2000), gutter = Math.floor(rand() * 200);
      const rows = viewPieces(area, { maxPiece, gutter });
      const world = 512 * 2 ** area.zoom;
      let covered = 0;
      for (const [j, row] of rows.entries()) {
        assert.equal(row.reduce((s, p) => s + p.width, 0), area.width, 'a row spans the area');
        for (const [i, p] of row.entries()) {
          assert.deepEqual([p.row, p.col], [j, i]);
          assert.ok(p.width <= maxPiece && p.height <= maxPiece, `piece ${p.width}x${p.height} within ${maxPiece}`);
          assert.ok(p.viewWidth <= p.width + 2 * gutter && p.viewHeight <= p.height + 2 * gutter);
          assert.deepEqual([p.crop.width, p.crop.height], [p.width, p.height]);
          if (i > 0) assert.equal(p.left, row[i - 1].left + row[i - 1].width, 'no gap or overlap across');
          if (j > 0) assert.equal(p.top, rows[j - 1][0].top + rows[j - 1][0].height, 'no gap or overlap down');
          // the crop's top-left corner is the piece's top-left corner in the world
          const [wx, wy] = worldPixel(p, p.crop.left, p.crop.top, area.zoom);
          assert.ok(Math.abs(wx - (area.x * world + p.left)) < 1e-6 * world && Math.abs(wy - (area.y * world + p.top)) < 1e-6 * world, `piece ${i},${j} of area ${JSON.stringify(area)}`);
          // the viewport never reaches past the world's north or south edge
          const [, top] = worldPixel(p, 0, 0, area.zoom);
          const [, bottom] = worldPixel(p, 0, p.viewHeight, area.zoom);
          assert.ok(top >= -1e-6 * world && bottom <= world * (1 + 1e-9), 'viewport inside the world vertically');
          covered += p.width * p.height;
        }
      }
      assert.equal(covered, area.width * area.height);
    }
  });

  it('puts the whole gutter on every side of an inner piece, none beyond the world edges, none across a whole-world area', () => {
    const inner = viewPieces({ x: 0.3, y: 0.3, width: 1000, height: 800, zoom: 10 }, { gutter: 50 })[0][0];
    assert.deepEqual([inner.viewWidth, inner.viewHeight, inner.crop.left, inner.crop.top], [1100, 900, 50, 50]);
    const north = viewPieces({ x: 0.3, y: 0, width: 256, height: 256, zoom: 3 }, { gutter: 50 })[0][0];
    assert.deepEqual([north.crop.top, north.viewHeight], [0, 306]);
    const whole = viewPieces({ x: 0, y: 0, width: 512, height: 512, zoom: 0 }, { gutter: 50 })[0][0];
    assert.deepEqual([whole.viewWidth, whole.viewHeight, whole.crop.left, whole.crop.top], [512, 512, 0, 0]);
  });

  it('keeps the overlap below every row but the last', () => {
    const rows = viewPieces({ x: 0.5, y: 0.3, width: 300, height: 300, zoom: 12 }, { maxPiece: 100, gutter: 10, overlap: 1 });
    assert.deepEqual(rows.map((r) => r[0].crop.height - r[0].height), [1, 1, 0]);
  });

  it('renders a piece through the renderer with its crop and refuses a short answer', async () => {
    const [[p]] = viewPieces({ x: 0.5, y: 0.3, width: 40, height: 30, zoom: 12 }, { gutter: 8 });
    const seen: unknown[] = [];
    const img = await renderPiece(p, { style: {}, styleKey: 'k', scale: 2, render: async (r) => { seen.push(r.crop); return Buffer.alloc(r.crop.width * r.crop.height * 16); } });
    assert.deepEqual(seen, [{ left: 8, top: 8, width: 40, height: 30 }]);
    assert.deepEqual([img.width, img.height], [80, 60]);
    await assert.rejects(renderPiece(p, { style: {}, styleKey: 'k', scale: 2, render: async () => Buffer.alloc(10) }), /expected 80x60 RGBA/);
  });
});
