import { run } from './main.js'

// The action's entry point (action.yml runs dist/index.js, the bundle of this file).
void run()
