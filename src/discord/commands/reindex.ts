// /reindex: re-scans the corpus. Server managers only: Discord hides it from
// others (default_member_permissions) and we check again here, since server
// admins can override command permissions.
import { InteractionContextType, MessageFlags, PermissionFlagsBits, SlashCommandBuilder } from 'discord.js';
import { truncate } from '../format.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';
import { allowManagersOnly, isActionableForManagers } from './managers.js';

export const reindex: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('reindex')
    .setNameLocalizations({ fr: 'reindexer' })
    .setDescription('Re-read the corpus and update the index (server managers)')
    .setDescriptionLocalizations({ fr: 'Relire le corpus et mettre l’index à jour (gestionnaires du serveur)' })
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild),

  async execute(interaction, ctx) {
    const lang = langOf(interaction.locale);
    if (!(await allowManagersOnly(interaction, ctx))) return;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    // Engine.reindex queues concurrent calls: two admins never run it twice at once.
    let report;
    try {
      report = await ctx.engine.reindex();
    } catch (error) {
      // A missing corpus folder, another indexer at work, a full disk, a damaged index: the manager can act on these.
      if (!isActionableForManagers(error)) throw error;
      ctx.logger.warn(`/reindex failed: ${error.message}`);
      await interaction.editReply({ content: `⚠️ ${truncate(error.message, 1_500)}` });
      return;
    }
    ctx.logger.info(`reindexed from Discord: ${report.added} added, ${report.updated} updated, ${report.removed} removed`);
    const warnings = report.warnings.slice(0, 5).map((w) => `⚠️ ${truncate(w, 200)}`);
    await interaction.editReply({ content: [text(lang).reindexed(report), ...warnings].join('\n') });
  },
};
