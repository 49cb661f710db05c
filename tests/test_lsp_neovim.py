"""The README's Neovim set-up, run headless: Neovim starts ``awesome-lint-lsp`` with the
snippet as written and shows its diagnostics. Skipped without Neovim 0.8+ (``vim.lsp.start``);
CI does not install it (Debian bookworm's is 0.7)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
NVIM = shutil.which("nvim")


def _snippet() -> str:
    section = README.read_text(encoding="utf-8").split("**Neovim**", 1)[1]
    found = re.search(r"```lua\n(.*?)```", section, re.S)
    assert found is not None
    return found.group(1)


def _has_lsp_start() -> bool:
    assert NVIM is not None
    done = subprocess.run([NVIM, "--headless", "--clean", "-c",
                           "lua io.stdout:write(vim.lsp.start and 'yes' or 'no')", "-c", "qa!"],
                          capture_output=True, text=True, timeout=60, check=False)
    return "yes" in done.stdout + done.stderr


@pytest.mark.skipif(NVIM is None, reason="Neovim is not installed")
def test_the_readme_snippet_starts_the_server_in_neovim(tmp_path: Path) -> None:
    if not _has_lsp_start():
        pytest.skip("this Neovim has no vim.lsp.start (0.8+)")
    assert NVIM is not None
    (tmp_path / "init.lua").write_text(_snippet(), encoding="utf-8")
    (tmp_path / "README.md").write_text(
        "# Awesome X\n\n- [A](https://a.example/x) - One.\n- [B](https://a.example/x) - Two.\n",
        encoding="utf-8")
    out = tmp_path / "codes.txt"
    wait = ("lua vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50); "
            "local codes = {}; for _, d in ipairs(vim.diagnostic.get(0)) do "
            "table.insert(codes, tostring(d.code)) end; "
            f"vim.fn.writefile(codes, '{out}')")
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}",
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path)}
    subprocess.run([NVIM, "--headless", "-u", str(tmp_path / "init.lua"), "README.md",
                    "-c", wait, "-c", "qa!"], cwd=tmp_path, env=env, capture_output=True,
                   timeout=120, check=False)
    assert out.read_text(encoding="utf-8").split() == ["AL304"]
