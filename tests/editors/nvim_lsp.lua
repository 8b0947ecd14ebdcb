-- nvim_lsp.lua — run by lsp_editor.py in a headless Neovim (Debian's 0.7) on the broken file: starts
-- nasls with the built-in LSP client as editors/README.md sets it up, waits for the diagnostics
-- of the buffer, and writes them (line, byte column, code, message) to $NASLS_EDITOR_OUT; "timeout"
-- when none came.
local out = os.getenv('NASLS_EDITOR_OUT')
local function finish(text)
  local f = io.open(out, 'w')
  f:write(text)
  f:close()
  vim.lsp.stop_client(vim.lsp.get_active_clients(), true) -- no wait for the server on the way out
  vim.cmd('qall!')
end
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'nas',
  callback = function(a)
    vim.lsp.buf_attach_client(a.buf, vim.lsp.start_client({
      name = 'nasls', cmd = {os.getenv('NASLS')}, root_dir = vim.fn.getcwd()}))
  end,
})
vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local ok = vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50)
    if not ok then return finish('timeout filetype=' .. vim.bo.filetype) end
    local lines = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      table.insert(lines, string.format('%d %d %s %s', d.lnum, d.col, tostring(d.code), d.message))
    end
    finish(table.concat(lines, '\n'))
  end,
})
