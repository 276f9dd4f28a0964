/**
 * Connect a number, through the real renderer and core, against the sandbox standing in for Meta's Graph API:
 * a wrong token gets Meta's refusal in words with its code, the right one shows the verified name.
 */
import { expect, test } from './fixtures';
import { setUpBusiness } from './steps';

test('connect a number: a wrong token is refused clearly, the right one shows the verified name', async ({ page, previewHost }) => {
  const credentials = ((await previewHost.control('sandbox/credentials')).json as { value: { phoneNumberId: string; wabaId: string; appId: string; accessToken: string } }).value;
  await setUpBusiness(page);
  await page.getByTestId('nav-settings').click();
  const section = page.getByTestId('connection-section');
  await expect(section).toBeVisible();

  await page.getByTestId('connection-phone-number-id').fill(credentials.phoneNumberId);
  await page.getByTestId('connection-waba-id').fill(credentials.wabaId);
  await page.getByTestId('connection-app-id').fill(credentials.appId);
  await page.getByTestId('connection-access-token').fill('EAAwrongtoken0000000000000');
  await page.getByTestId('connection-app-secret').fill('0123456789abcdef0123456789abcdef');
  await page.getByTestId('connection-webhook-mode').selectOption('direct');
  await page.getByTestId('connection-direct-port').fill('8443');
  await page.getByTestId('connection-test').click();
  await expect(page.getByTestId('connection-error')).toContainText('190');

  await page.getByTestId('connection-access-token').fill(credentials.accessToken);
  await page.getByTestId('connection-test').click();
  await expect(page.getByTestId('connection-status')).toContainText('Frontdesk Sandbox');
  await expect(page.getByTestId('connection-error')).toHaveCount(0);
});
