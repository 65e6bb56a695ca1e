// The `refx` commands' commander class: a command knows the options every
// command that opens the referentials takes, so each declares them in one call.
import { Command } from "commander";
import { baseUriOption, cacheDirOption, dataDirOption, noCacheOption } from "../app/options.ts";

export class RefxCommand extends Command {
  /** Subcommands made by `.command(...)` are RefxCommands too (commander's documented hook). */
  override createCommand(name?: string): RefxCommand {
    return new RefxCommand(name);
  }

  /** --data-dir, --cache-dir, --no-cache and --base-uri, in that order; `baseHelp` replaces --base-uri's help. */
  referentialsOptions(baseHelp?: string): this {
    return this.addOption(dataDirOption()).addOption(cacheDirOption()).addOption(noCacheOption()).addOption(baseUriOption(baseHelp));
  }
}
