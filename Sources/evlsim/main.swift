import EvlsimCLI
EvlsimCommand.main()
