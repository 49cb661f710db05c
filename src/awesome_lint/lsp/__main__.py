from awesome_lint.lsp import main

main()
