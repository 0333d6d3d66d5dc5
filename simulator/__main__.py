from simulator.cli.main import main  # the `roundtwo` console script points here

if __name__ == "__main__":
    raise SystemExit(main())
