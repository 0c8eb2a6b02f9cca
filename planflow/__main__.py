from planflow.cli import main

main()
