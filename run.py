"""Entry point: ``python run.py --help``."""

from energy.cli import main

if __name__ == "__main__":
    main()
