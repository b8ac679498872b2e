from localize.cli import main

main()
