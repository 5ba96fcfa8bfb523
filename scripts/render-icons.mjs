#!/usr/bin/env node
// Renders the committed icon images from their SVG sources, so packaging never needs a renderer.
//   node scripts/render-icons.mjs           write build/icon.png, build/icon.ico, assets/icon.png, assets/tray/*.png
//   node scripts/render-icons.mjs --check   exit 1 if a committed image no longer matches its source
// macOS .icns is not rendered here: electron-builder derives it from build/icon.png (1024x1024).
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import pngToIco from 'png-to-ico';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Tray states, with the colour of the Windows/Linux variant (macOS uses the black template image). */
export const TRAY_STATES = {
  stopped: '#8b949e',
  listening: '#2da44e',
  transferring: '#1f8fe0',
};

// 16 px comes from a pixel-aligned drawing; the 1024 drawing blurs at that size.
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
}

/** Every output file as [relative path, bytes]. Pure apart from reading the SVG sources. */
export async function renderAll() {
  const read = (rel) => readFile(path.join(root, rel), 'utf8');
  const appSvg = await read('build/icon.svg');
  const smallSvg = await read('build/icon-small.svg');
  const outputs = [
    ['build/icon.png', render(appSvg, 1024)],
    ['assets/icon.png', render(appSvg, 256)],
  ];
  const icoImages = ICO_SIZES.map((size) => render(size === 16 ? smallSvg : appSvg, size));
  outputs.push(['build/icon.ico', await pngToIco(icoImages)]);

  for (const [state, colour] of Object.entries(TRAY_STATES)) {
    const template = await read(`assets/tray/${state}.svg`);
    const coloured = template.replaceAll('#000000', colour);
    outputs.push(
      [`assets/tray/${state}Template.png`, render(template, 16)],
      [`assets/tray/${state}Template@2x.png`, render(template, 32)],
      [`assets/tray/${state}.png`, render(coloured, 16)],
      [`assets/tray/${state}@2x.png`, render(coloured, 32)],
    );
  }
  return outputs;
}

/** Paths whose committed bytes differ from a fresh render (missing files count as stale). */
export async function findStale() {
  const stale = [];
  for (const [rel, bytes] of await renderAll()) {
    const current = await readFile(path.join(root, rel)).catch(() => null);
    if (current === null || !current.equals(bytes)) stale.push(rel);
  }
  return stale;
}

async function main(args) {
  if (args.includes('--check')) {
    const stale = await findStale();
    if (stale.length > 0) {
      console.error(`Icons out of date with their SVG sources: ${stale.join(', ')}`);
      console.error('Run `npm run icons` and commit the result.');
      return 1;
    }
    console.log('Icons match their SVG sources.');
    return 0;
  }
  for (const [rel, bytes] of await renderAll()) {
    await writeFile(path.join(root, rel), bytes);
    console.log(`wrote ${rel} (${bytes.length} bytes)`);
  }
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
