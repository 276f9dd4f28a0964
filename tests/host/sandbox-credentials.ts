/** What "Connect a number" accepts in the preview host (the sandbox's number); a test control hands it to e2e tests. */
export const sandboxCredentials = {
  phoneNumberId: '106540352242922',
  wabaId: '102290129340398',
  appId: '1234567890123',
  accessToken: 'EAAFrontdeskSandboxToken0123456789',
};
