#!/usr/bin/env python
from atout.cli import main

if __name__ == "__main__":
    main()
