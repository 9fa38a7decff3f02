from safespaces.cli import main

main()
