from charta.cli import main

main()
