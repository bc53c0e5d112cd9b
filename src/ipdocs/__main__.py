from ipdocs.cli import main

main()
