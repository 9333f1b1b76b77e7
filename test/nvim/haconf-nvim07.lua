-- haconf for Neovim 0.7+, no plugin: put in init.lua (needs `haconf` on PATH).
local haconf_files = {
  haproxy = { 'haproxy*.cfg', '*.haproxy', '*/haproxy/*.cfg', '*/conf.d/*.cfg' },
  keepalived = { 'keepalived*.conf', '*/keepalived/*.conf' },
  corosync = { 'corosync*.conf', '*/corosync/*.conf' },
}
for filetype, patterns in pairs(haconf_files) do
  vim.api.nvim_create_autocmd({ 'BufRead', 'BufNewFile' }, {
    pattern = patterns,
    callback = function() vim.bo.filetype = filetype end,
  })
end
local haconf_client
vim.api.nvim_create_autocmd('FileType', {
  pattern = { 'haproxy', 'keepalived', 'corosync' },
  callback = function(args)
    haconf_client = haconf_client or vim.lsp.start_client({
      name = 'haconf',
      cmd = { 'haconf', 'lsp', '--stdio' },
      root_dir = vim.fn.getcwd(),
      settings = { haconf = { haproxy = { version = '2.6' } } },
    })
    vim.lsp.buf_attach_client(args.buf, haconf_client)
  end,
})
