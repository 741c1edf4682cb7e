// The server-side check behind manager-only commands: Discord hides them from
// others (default_member_permissions), but server admins can override that.
import { MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import type { BotContext } from '../context.js';
import { langOf, text } from '../text.js';

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
