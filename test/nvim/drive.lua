-- Drives the real Neovim (headless) through haconf's language server, loaded by the README's client
-- configuration (haconf-nvim07.lua, given with -u). Every step records what the editor got into a table
-- that is written as JSON to $HACONF_NVIM_OUT; test/nvim/nvim.test.ts asserts on it. A step that fails
-- records its error instead of stopping the others. Works with the Neovim 0.7 API and later.
local out = { steps = {}, errors = {} }
local root = vim.env.HACONF_NVIM_ROOT
local TIMEOUT = 30000

local function step(name, fn)
  local ok, err = pcall(fn)
  if not ok then out.errors[name] = tostring(err) end
end

local function get_clients()
  return (vim.lsp.get_clients or vim.lsp.get_active_clients)()
end

local function client()
  return get_clients()[1]
end

-- Waits for `pred`; errors (so the step records it) when it never holds.
local function wait(what, pred)
  if not vim.wait(TIMEOUT, pred, 50) then error('timed out waiting for ' .. what) end
end

local function diagnostics(bufnr)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(list, { lnum = d.lnum, col = d.col, code = d.code, message = d.message, severity = d.severity })
  end
  table.sort(list, function(a, b) return a.lnum < b.lnum end)
  return list
end

local function first_result(responses)
  for _, r in pairs(responses or {}) do
    if r.error then error(vim.inspect(r.error)) end
    if r.result ~= nil then return r.result end
  end
  return nil
end

local function request(bufnr, method, params)
  local responses, err = vim.lsp.buf_request_sync(bufnr, method, params, TIMEOUT)
  if err then error(method .. ': ' .. tostring(err)) end
  return first_result(responses)
end

local function pos_params(bufnr, line, character)
  return { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = character } }
end

local back = root .. '/etc/haproxy/conf.d/20-back.cfg'
local main = root .. '/etc/haproxy/haproxy.cfg'
local messy = root .. '/messy/haproxy.cfg'

step('open', function()
  vim.cmd('edit ' .. vim.fn.fnameescape(back))
  out.steps.filetype = vim.bo.filetype
  wait('the haconf client', function() return client() ~= nil and client().initialized end)
  out.steps.client = client().name
end)

local bufnr = vim.api.nvim_get_current_buf()

step('diagnostics', function()
  wait('diagnostics on 20-back.cfg', function() return #vim.diagnostic.get(bufnr) > 0 end)
  out.steps.diagnostics = diagnostics(bufnr)
end)

step('hover', function()
  local r = request(bufnr, 'textDocument/hover', pos_params(bufnr, 2, 6))
  local c = r and r.contents
  out.steps.hover = type(c) == 'table' and (c.value or vim.inspect(c)) or tostring(c)
end)

step('completion', function()
  local r = request(bufnr, 'textDocument/completion', pos_params(bufnr, 2, 4))
  local items = r and (r.items or r) or {}
  local labels = {}
  for _, it in ipairs(items) do table.insert(labels, it.label) end
  out.steps.completion = labels
end)

-- Grammar-aware completion and signature help on a line typed into the buffer, then taken out again (the
-- code action step below works on the original lines).
step('grammar', function()
  vim.api.nvim_buf_set_lines(bufnr, 3, 3, false, { '    http-request ' })
  local r = request(bufnr, 'textDocument/completion', pos_params(bufnr, 3, 17))
  local items = r and (r.items or r) or {}
  local actions = {}
  for _, it in ipairs(items) do
    if it.label == 'set-header' then out.steps.set_header_insert = it.textEdit and it.textEdit.newText or it.insertText end
    table.insert(actions, it.label)
  end
  out.steps.actions = actions
  local sig = request(bufnr, 'textDocument/signatureHelp', pos_params(bufnr, 2, 11))
  local s = sig and sig.signatures and sig.signatures[(sig.activeSignature or 0) + 1]
  if s then
    local p = s.parameters[(sig.activeParameter or 0) + 1]
    out.steps.signature = s.label
    out.steps.signature_active = string.sub(s.label, p.label[1] + 1, p.label[2])
  end
  vim.api.nvim_buf_set_lines(bufnr, 3, 4, false, {})
end)

step('code action', function()
  local line = 1
  local lsp_diags = vim.lsp.diagnostic.get_line_diagnostics(bufnr, line)
  -- As `vim.lsp.buf.code_action()` asks: the cursor on the word, the line's diagnostics as context.
  vim.api.nvim_win_set_cursor(0, { line + 1, 5 })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = lsp_diags }
  local actions = request(bufnr, 'textDocument/codeAction', params) or {}
  local titles = {}
  for _, a in ipairs(actions) do table.insert(titles, a.title) end
  out.steps.code_action_titles = titles
  local chosen = actions[1]
  if not chosen then error('no code action') end
  vim.lsp.util.apply_workspace_edit(chosen.edit, client().offset_encoding)
  out.steps.code_action_line = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  -- The buffer change reaches the server as didChange; the fixed finding goes away.
  wait('diagnostics to clear after the fix', function() return #vim.diagnostic.get(bufnr) == 0 end)
  out.steps.diagnostics_after_fix = diagnostics(bufnr)
end)

step('definition', function()
  vim.cmd('edit ' .. vim.fn.fnameescape(main))
  local mainbuf = vim.api.nvim_get_current_buf()
  wait('the client on haproxy.cfg', function() return #vim.lsp.buf_get_clients(mainbuf) > 0 end)
  -- `default_backend app`: the backend is defined in conf.d/20-back.cfg (a split configuration).
  local lnum
  for i, l in ipairs(vim.api.nvim_buf_get_lines(mainbuf, 0, -1, false)) do
    if l:match('default_backend') then lnum = i end
  end
  vim.api.nvim_win_set_cursor(0, { lnum, #'    default_backend a' })
  vim.lsp.buf.definition()
  wait('the jump to the backend', function() return vim.api.nvim_buf_get_name(0) ~= main end)
  local cursor = vim.api.nvim_win_get_cursor(0)
  out.steps.definition = { file = vim.api.nvim_buf_get_name(0), line = cursor[1] - 1, col = cursor[2] }
end)

step('formatting', function()
  vim.cmd('edit ' .. vim.fn.fnameescape(messy))
  local fbuf = vim.api.nvim_get_current_buf()
  wait('the client on messy/haproxy.cfg', function() return #vim.lsp.buf_get_clients(fbuf) > 0 end)
  vim.bo.shiftwidth = 4
  vim.bo.expandtab = true
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ timeout_ms = TIMEOUT })
  else
    vim.lsp.buf.formatting_sync(nil, TIMEOUT)
  end
  out.steps.formatted = table.concat(vim.api.nvim_buf_get_lines(fbuf, 0, -1, false), '\n') .. '\n'
end)

local f = assert(io.open(vim.env.HACONF_NVIM_OUT, 'w'))
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd('qa!')
