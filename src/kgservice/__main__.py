from kgservice.cli import main

raise SystemExit(main())
