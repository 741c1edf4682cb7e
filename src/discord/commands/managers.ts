// The server-side check behind manager-only commands: Discord hides them from
// others (default_member_permissions), but server admins can override that.
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { EmbedderMismatchError, IndexCorruptError, IndexWriteError } from '../../index/index.js';
import { IndexBusyError } from '../../index/lock.js';
import { DatabaseUnavailableError } from '../../index/pg/errors.js';
import { CorpusError } from '../../ingest/errors.js';
import type { BotContext } from '../context.js';
import { langOf, text } from '../text.js';

/**
 * Failures of /reindex and /add that a server manager can act on (a full disk, a damaged index,
 * the database down…): their message says what to do, so the manager gets it, privately,
 * instead of an apology. Anything else stays an incident.
 */
export function isActionableForManagers(error: unknown): error is Error {
  return [CorpusError, IndexBusyError, IndexWriteError, IndexCorruptError, EmbedderMismatchError, DatabaseUnavailableError].some((k) => error instanceof k);
}

/** Replies politely and returns false unless the member may manage the server. */
export async function allowManagersOnly(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<boolean> {
  const lang = langOf(interaction.locale);
  if (!interaction.inGuild()) {
    await interaction.reply({ content: text(lang).guildOnly, flags: MessageFlags.Ephemeral });
    return false;
  }
  if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
    ctx.logger.warn(`refused /${interaction.commandName} to a member without Manage Server`);
    await interaction.reply({ content: text(lang).notAdmin, flags: MessageFlags.Ephemeral });
    return false;
  }
  return true;
}
