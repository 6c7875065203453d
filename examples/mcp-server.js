'use strict'
// An MCP server protected by Scalekit: two tools, one needing a write scope, behind McpResourceServer.
//
//   node examples/mcp-server.js
//
// runs it against the built-in emulator (Scalekit's authorization server for MCP servers, offline), registers the
// server there, and prints what an MCP client needs. With SCALEKIT_ENVIRONMENT_URL, MCP_RESOURCE_ID and MCP_SERVER_URL
// set, it protects the server with a real Scalekit environment instead. `createMcpApp` is what the tests run.
const http = require('node:http')
const express = require('express')
const { McpServer } = require('@modelcontextprotocol/sdk/server/mcp.js')
const { StreamableHTTPServerTransport } = require('@modelcontextprotocol/sdk/server/streamableHttp.js')
const { z } = require('zod')
const { McpResourceServer } = require('scalekit-native/mcp')

const todos = []

/** The MCP server: the tools see who called in `extra.authInfo` (checked by the kit; never forward that token). */
function todoServer() {
  const server = new McpServer({ name: 'todos', version: '1.0.0' })
  server.registerTool('list_todos', { description: 'Lists the todos', inputSchema: {} }, async (_args, extra) => ({
    content: [{ type: 'text', text: JSON.stringify({ todos, caller: extra.authInfo.extra.subject, client: extra.authInfo.clientId, scopes: extra.authInfo.scopes }) }],
  }))
  server.registerTool('create_todo', { description: 'Adds a todo', inputSchema: { title: z.string() } }, async ({ title }, extra) => {
    todos.push({ title, by: extra.authInfo.extra.subject })
    return { content: [{ type: 'text', text: `added ${title}` }] }
  })
  return server
}

/** One MCP exchange, stateless: a fresh server and transport per request, as the SDK's stateless example does. */
async function mcp(req, res) {
  const server = todoServer()
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
  res.on('close', () => {
    transport.close()
    server.close()
  })
  await server.connect(transport)
  await transport.handleRequest(req, res, req.body)
}

/**
 * The MCP server at `serverUrl`'s path, protected by Scalekit: `adapter` 'express' (app.use) or 'node' (node:http).
 * Returns the request listener.
 */
function createMcpApp({ environmentUrl, resourceId, serverUrl, adapter = 'express' }) {
  const auth = new McpResourceServer({
    environmentUrl,
    resourceId,
    serverUrl,
    scopesSupported: ['todo:read', 'todo:write'],
    toolScopes: { list_todos: ['todo:read'], create_todo: ['todo:write'] },
    resourceName: 'Todos',
  })
  const path = new URL(serverUrl).pathname
  if (adapter === 'node') {
    return async (req, res) => {
      if (await auth.handle(req, res)) return // metadata, preflight, or a challenge: answered
      if (req.url.split('?')[0] === path) return mcp(req, res)
      res.writeHead(404).end()
    }
  }
  const app = express()
  app.use(express.json())
  app.use(auth.express()) // metadata, CORS preflight, bearer check, per-tool scopes; sets req.auth
  app.all(path, mcp)
  return app
}

async function main() {
  let { SCALEKIT_ENVIRONMENT_URL: environmentUrl, MCP_RESOURCE_ID: resourceId, MCP_SERVER_URL: serverUrl } = process.env
  // Listen first (PORT=0 picks a free port), so that the server's URL is known before it is registered.
  let app = (req, res) => res.writeHead(503).end()
  const server = http.createServer((req, res) => app(req, res))
  await new Promise((resolve) => server.listen(Number(process.env.PORT ?? 3002), '127.0.0.1', resolve))
  let emulator
  if (!environmentUrl) {
    const { ScalekitEmulator } = require('scalekit-native/testing')
    emulator = await ScalekitEmulator.start()
    emulator.seedOrganization({ displayName: 'Acme', users: [{ email: 'ada@acme.test', givenName: 'Ada' }] })
    emulator.setLoginUser('ada@acme.test')
    serverUrl = `http://127.0.0.1:${server.address().port}/mcp`
    const registered = emulator.mcp.createServer({ name: 'Todos', serverUrl, scopes: ['todo:read', 'todo:write'] })
    environmentUrl = emulator.url
    resourceId = registered.resourceId
  }
  app = createMcpApp({ environmentUrl, resourceId, serverUrl })
  console.log(`MCP server: ${serverUrl} (protected by ${environmentUrl}, resource ${resourceId})`)
  console.log(`Its metadata: ${new URL('/.well-known/oauth-protected-resource/mcp', serverUrl)}`)
  if (emulator) console.log('The emulator signs in ada@acme.test for any MCP client (DCR, PKCE); Ctrl-C to stop.')
  const stop = async () => {
    server.close()
    await emulator?.stop()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

if (require.main === module) main()

module.exports = { createMcpApp }
