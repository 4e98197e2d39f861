from pos_app.bootstrap import main

raise SystemExit(main())
