export { ScalekitEmulator, EmulatorOptions, EmulatorOrganization, RequestRecord, MintTokenOptions, SignWebhookOptions } from './index'
