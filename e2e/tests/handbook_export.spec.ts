// 手帳を書き出す・読み込む and the print view: hanako exports さくら's handbook as one JSON
// file (named by the day only); a fresh account imports it and sees the same birth
// record, measurements and vaccinations, and the same handbook in the print view; a file
// that is not a handbook is refused in words; the print view has 印刷する and passes axe.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, expectHeading, signIn, signUp, smallTargets, uniqueLogin, violations } from './support';

/** The demo family (`server --demo`): 練馬 さくら, hanako's child. */
const DEMO_FAMILY = '0193a6f0-0000-7000-8000-00000000f001';
const CHILD = '練馬 さくら';

/** The print view's sheet of a family, once its records are drawn. */
async function printedHandbook(page: Page, family: string): Promise<string> {
  await page.goto(`/handbook/${family}/print`);
  await expectHeading(page, '電子母子手帳');
  const sheet = page.getByTestId('print-sheet');
  await expect(sheet).toContainText('出生時の記録');
  await expect(sheet).toContainText('記録した接種');
  await expect(sheet).toContainText('乳幼児健診: 保護者の記録');
  // Every section but the health centre's checkup findings, which an import leaves in
  // the file (a guardian cannot vouch for them).
  const sections = await sheet.locator('section.print-section').evaluateAll((all) =>
    all.map((el) => (el as HTMLElement).innerText),
  );
  return sections.filter((text) => !text.startsWith('乳幼児健診: 健診の結果')).join('\n');
}

/** Each item's words, without its sync badge and buttons, sorted (records of one day
 * are listed in the order of their ids, which an import makes anew). */
function shownWords(items: Element[]): string[] {
  return items.map((li) => (li as HTMLElement).innerText.replace(/送信(待ち|済み)|直す|消す/g, '').trim()).sort();
}

/** What the growth and vaccination pages show of a family, badges and buttons aside. */
async function childPages(page: Page, family: string) {
  await page.goto(`/handbook/${family}/growth`);
  const birth = page.getByTestId('birth-facts');
  await expect(birth).toContainText('3120');
  const measured = page.getByTestId('measurements').getByRole('listitem');
  await expect(measured.first()).toBeVisible();
  const measurements = await measured.evaluateAll(shownWords);
  const birthText = await birth.innerText();
  await page.goto(`/handbook/${family}/vaccines`);
  const doses = page.getByTestId('dose-records').getByTestId('dose-record');
  await expect(doses.first()).toBeVisible();
  const doseTexts = await doses.evaluateAll(shownWords);
  return { birthText, measurements, doseTexts };
}

test('export_then_import_into_a_fresh_account_gives_the_same_handbook', async ({ page, browser }) => {
  await signIn(page, 'hanako');
  const before = await printedHandbook(page, DEMO_FAMILY);
  const shown = await childPages(page, DEMO_FAMILY);
  expect(shown.measurements.length).toBeGreaterThan(2);
  expect(shown.doseTexts.length).toBeGreaterThan(5);

  await page.goto('/handbook');
  const section = page.getByRole('region', { name: `${CHILD}の手帳` });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    section.getByRole('button', { name: '手帳を書き出す' }).click(),
  ]);
  // Named by the day only: no name, no health data.
  expect(download.suggestedFilename()).toMatch(/^handbook-\d{4}-\d{2}-\d{2}\.json$/);
  const file = path.join(os.tmpdir(), `handbook-${process.pid}-${Date.now()}.json`);
  await download.saveAs(file);
  const written = JSON.parse(fs.readFileSync(file, 'utf8'));
  expect(written.format).toBe('tsunagaru-handbook');
  expect(written.version).toBe(1);
  expect(written.family.child_name).toBe(CHILD);
  const kinds = new Set(written.records.map((r: { collection: string }) => r.collection));
  for (const kind of ['handbook_birth', 'handbook_measurement', 'handbook_dose']) {
    expect(kinds.has(kind), kind).toBe(true);
  }

  // A fresh account, on another phone.
  const other = await browser.newContext();
  const fresh = await other.newPage();
  await signUp(fresh, uniqueLogin('import'), '読込 花子');
  await fresh.goto('/handbook');
  await expectHeading(fresh, '電子母子手帳');
  const importer = fresh.getByTestId('handbook-import');

  // Not a handbook: refused in words, nothing created.
  const notHandbook = path.join(os.tmpdir(), `not-a-handbook-${process.pid}.json`);
  fs.writeFileSync(notHandbook, JSON.stringify({ format: 'something-else', version: 1 }));
  await fresh.locator('#handbook-file').setInputFiles(notHandbook);
  await expect(importer.getByRole('alert')).toHaveText(/手帳のファイルとして読めませんでした/);
  const newer = path.join(os.tmpdir(), `newer-handbook-${process.pid}.json`);
  fs.writeFileSync(newer, JSON.stringify({ ...written, version: 99 }));
  await fresh.locator('#handbook-file').setInputFiles(newer);
  await expect(importer.getByRole('alert')).toHaveText(/この版のアプリでは読めない/);

  // The real file: what it holds first, then a new handbook.
  await fresh.locator('#handbook-file').setInputFiles(file);
  const preview = fresh.getByTestId('import-preview');
  await expect(preview).toContainText(`${CHILD}の手帳`);
  await expect(preview).toContainText('出生時の記録：1件');
  await expect(preview).toContainText(`身体発育の記録：${shown.measurements.length}件`);
  await expect(preview).toContainText(`予防接種：${shown.doseTexts.length}件`);
  await expect(preview).toContainText('乳幼児健診（保護者の記録）：4件');
  await expect(preview).not.toContainText('乳幼児健診（健診の結果）');
  await expect(preview.getByTestId('import-clinician')).toContainText('健診の結果4件は保健相談所が書いた記録のため、新しい手帳には移しません');
  expect(await violations(fresh)).toEqual([]);
  await preview.getByRole('button', { name: '新しい手帳として読み込む' }).click();
  await expect(importer.getByRole('status')).toHaveText('読み込みました。');
  const imported = fresh.getByRole('region', { name: `${CHILD}の手帳` });
  await expect(imported).toBeVisible();
  await expect(fresh.getByTestId('sync-status')).toHaveAttribute('data-state', 'synced');
  const printLink = imported.getByRole('link', { name: '印刷する' });
  const newFamily = (await printLink.getAttribute('href'))!.split('/')[2];
  expect(newFamily).not.toBe(DEMO_FAMILY);

  // The same handbook: the same birth record, measurements and doses, and the same print.
  expect(await childPages(fresh, newFamily)).toEqual(shown);
  expect(await printedHandbook(fresh, newFamily)).toBe(before);
  await other.close();
  fs.rmSync(file);
  fs.rmSync(notHandbook);
  fs.rmSync(newer);
});

test('the_print_view_renders_every_section_and_prints', async ({ page }) => {
  await signIn(page, 'hanako');
  await page.goto('/handbook');
  await page.getByRole('region', { name: `${CHILD}の手帳` }).getByRole('link', { name: '印刷する' }).click();
  await expect(page).toHaveURL(new RegExp(`/handbook/${DEMO_FAMILY}/print$`));
  const sheet = page.getByTestId('print-sheet');
  for (const heading of ['出生時の記録', '身体発育の記録', '記録した接種']) {
    await expect(sheet.getByRole('heading', { name: heading })).toBeVisible();
  }
  await expect(sheet.getByRole('table').first()).toBeVisible();
  // A5 picks the smaller page; 印刷する opens the browser's print dialog.
  await page.getByLabel('A5').check();
  await expect(sheet).toHaveClass(/print-a5/);
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await page.getByRole('button', { name: '印刷する' }).click();
  expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  // On paper: no header, navigation or buttons.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation')).toBeHidden();
  await expect(page.getByRole('button', { name: '印刷する' })).toBeHidden();
  await expect(sheet).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  expect(await violations(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
  await page.goto('/handbook');
  await expect(page.getByRole('button', { name: '手帳を書き出す' }).first()).toBeVisible();
  expect(await violations(page)).toEqual([]);
  expect(await smallTargets(page)).toEqual([]);
});
