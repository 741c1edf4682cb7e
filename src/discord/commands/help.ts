// /help: what the bot does and how to use it.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';

export const help: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('help')
    .setNameLocalizations({ fr: 'aide' })
    .setDescription('How to use akhbar')
    .setDescriptionLocalizations({ fr: 'Comment utiliser akhbar' }),

  async execute(interaction) {
    await interaction.reply({ content: text(langOf(interaction.locale)).help, flags: MessageFlags.Ephemeral });
  },
};
