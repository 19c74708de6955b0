// A person creates an account, signs in and out, and shares a child's handbook with
// family through an invite code passed on by hand.
import {
  expect,
  test,
  DEMO_PASSWORD,
  accountLink,
  createFamily,
  expectHeading,
  meStatus,
  signUp,
  uniqueLogin,
} from './support';

test('signs_up_then_signs_out_and_the_phone_forgets_the_account', async ({ page }) => {
  const login = uniqueLogin('hanako');
  await signUp(page, login, '練馬 花子');
  await expect(page.getByText(login)).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('tsunagaru.me'))).toContain(login);
  // The person's own settings survive signing out.
  await page.evaluate(() => localStorage.setItem('tsunagaru.text-size', 'large'));

  await page.getByRole('button', { name: 'ログアウトする' }).click();
  await expectHeading(page, 'ようこそ');
  await expect(page.getByTestId('announcement')).toHaveText('ログアウトしました。');
  await expect(accountLink(page, 'ログイン')).toBeVisible();
  expect(await meStatus(page)).toBe(401);
  expect(await page.evaluate(() => localStorage.getItem('tsunagaru.me'))).toBeNull();
  expect(await page.evaluate(() => localStorage.getItem('tsunagaru.text-size'))).toBe('large');

  // Signed out, the account page says so and leads to sign-in, then back.
  await page.goto('/account');
  await expect(page.getByText('このページを見るには、ログインしてください。')).toBeVisible();
});

test('signs_in_with_the_keyboard_only_after_checking_the_password', async ({ page }) => {
  await page.goto('/sign-in');
  await expectHeading(page, 'ログイン');
  const login = page.getByLabel('ログイン名');
  for (let i = 0; i < 20 && !(await login.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(login).toBeFocused();
  await page.keyboard.type('ichiro');
  await page.keyboard.press('Tab');
  const password = page.getByLabel('パスワード', { exact: true });
  await expect(password).toBeFocused();
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Tab');
  const show = page.getByRole('button', { name: 'パスワードを表示' });
  await expect(show).toBeFocused();
  await expect(show).toHaveAttribute('aria-pressed', 'false');
  await page.keyboard.press('Space');
  await expect(show).toHaveAttribute('aria-pressed', 'true');
  await expect(password).toHaveAttribute('type', 'text');
  await expect(password).toHaveValue(DEMO_PASSWORD);
  await page.keyboard.press('Shift+Tab');
  await expect(password).toBeFocused();
  await page.keyboard.press('Enter');

  await expectHeading(page, 'アカウント');
  await expect(page.getByText('ichiro', { exact: true })).toBeVisible();
  await expect(accountLink(page, /アカウント/)).toBeVisible();
  expect(await meStatus(page)).toBe(200);
});

test('a_wrong_password_and_an_unknown_name_get_the_same_words', async ({ page }) => {
  for (const login of ['taro', uniqueLogin('nobody')]) {
    await page.goto('/sign-in');
    await page.getByLabel('ログイン名').fill(login);
    const password = page.getByLabel('パスワード', { exact: true });
    await password.fill('not the right password');
    await page.getByRole('button', { name: 'ログインする' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('ログイン名またはパスワードが違います');
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAttribute('aria-describedby', /password-error/);
    await expect(password).toBeFocused();
    await expect(accountLink(page, 'ログイン')).toBeVisible();
  }
});

test('the_sign_up_form_explains_its_rules_before_sending', async ({ page }) => {
  await page.goto('/sign-up');
  await expect(page.getByText('10文字以上にしてください。')).toBeVisible();
  await page.getByLabel('ログイン名').fill('ab');
  await page.getByLabel('パスワード', { exact: true }).fill('1234567890');
  await page.getByRole('button', { name: '登録する' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'ログイン名は' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: '表示名は1〜40文字' })).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'よく使われていて危険です' })).toBeVisible();
  await expect(page.getByLabel('ログイン名')).toBeFocused();
  expect(await meStatus(page)).toBe(401);
});

test('joins_a_family_with_an_invite_code_typed_loosely_on_another_phone', async ({ browser }) => {
  const guardian = await browser.newContext();
  const grandma = await browser.newContext();
  const a = await guardian.newPage();
  const b = await grandma.newPage();
  const aName = `保護者 ${Math.random().toString(36).slice(2, 6)}`;
  const bName = `祖母 ${Math.random().toString(36).slice(2, 6)}`;

  await signUp(a, uniqueLogin('parent'), aName);
  const familyPath = await createFamily(a, '練馬 ひかり');
  await a.getByLabel(/閲覧のみ/).check();
  await a.getByRole('button', { name: '招待コードをつくる' }).click();
  const code = (await a.getByTestId('invite-code').textContent())!.trim();
  expect(code).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await expect(a.getByText('7日間有効・1回だけ使えます。')).toBeVisible();

  await signUp(b, uniqueLogin('grandma'), bName);
  await b.getByLabel('招待コード', { exact: true }).fill(code.toLowerCase().replace('-', ''));
  await b.getByRole('button', { name: '参加する' }).click();
  await expectHeading(b, '家族');
  await expect(b).toHaveURL(familyPath);
  await expect(b.getByTestId('child-name')).toHaveText('練馬 ひかり');
  const bMembers = b.locator('.members > li');
  await expect(bMembers.filter({ hasText: aName })).toContainText('保護者');
  await expect(bMembers.filter({ hasText: bName })).toContainText('閲覧のみ');
  // A viewer neither invites nor changes the consent.
  await expect(b.getByRole('button', { name: '招待コードをつくる' })).toHaveCount(0);

  await a.reload();
  await expect(a.locator('.members > li').filter({ hasText: bName })).toContainText('閲覧のみ');

  await guardian.close();
  await grandma.close();
});

test('an_admin_grants_a_role_and_checks_the_audit_log', async ({ browser }) => {
  const residentContext = await browser.newContext();
  const resident = await residentContext.newPage();
  const residentName = `職員候補 ${Math.random().toString(36).slice(2, 6)}`;
  await signUp(resident, uniqueLogin('staff'), residentName);
  await residentContext.close();

  const adminContext = await browser.newContext();
  const page = await adminContext.newPage();
  await page.goto('/sign-in');
  await page.getByLabel('ログイン名').fill('admin');
  await page.getByLabel('パスワード', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'ログインする' }).click();
  await expectHeading(page, 'アカウント');
  await page.getByRole('link', { name: '管理', exact: true }).click();
  await expectHeading(page, '管理');

  const user = page.locator('.users > li').filter({ hasText: residentName });
  await user.getByLabel('カレッジの職員').check();
  await user.getByRole('button', { name: '役割を保存する' }).click();
  await expect(user.getByRole('status').filter({ hasText: '保存しました。' })).toBeVisible();
  await page.reload();
  await expect(page.locator('.users > li').filter({ hasText: residentName }).getByLabel('カレッジの職員')).toBeChecked();

  await expect(page.locator('table.audit tbody tr').first()).toBeVisible();
  await page.getByRole('button', { name: '記録の改ざんチェック' }).click();
  await expect(page.getByText(/記録は改ざんされていません（\d+件を確かめました）。/)).toBeVisible();
  await adminContext.close();
});

test('a_resident_is_told_the_admin_page_is_not_for_them', async ({ page }) => {
  await signUp(page, uniqueLogin('resident'), '練馬 次郎');
  await page.goto('/admin');
  await expect(page.getByText('このページは、区の管理者だけが使えます。')).toBeVisible();
  await expect(page.locator('table.audit')).toHaveCount(0);
});
