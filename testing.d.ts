export { ScalekitEmulator, EmulatorOptions, EmulatorOrganization, RequestRecord } from './index'
