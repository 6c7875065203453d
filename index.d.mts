import * as scalekit from './index.js'

export * from './index.js'
export default scalekit
