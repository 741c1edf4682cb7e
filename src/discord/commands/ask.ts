// /ask question [private]: an answer with numbered citations and sources.
import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { answerQuestion, interactionTarget } from '../answer.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';

export const ask: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('ask')
    .setNameLocalizations({ fr: 'demander' })
    .setDescription('Ask a question about the articles; the answer cites its sources')
    .setDescriptionLocalizations({ fr: 'Poser une question sur les articles ; la réponse cite ses sources' })
    .addStringOption((o) =>
      o
        .setName('question')
        .setDescription('Your question, in French or English')
        .setDescriptionLocalizations({ fr: 'Votre question, en français ou en anglais' })
        .setRequired(true)
        .setMaxLength(2000),
    )
    .addBooleanOption((o) =>
      o
        .setName('private')
        .setNameLocalizations({ fr: 'prive' })
        .setDescription('Only you see the answer')
        .setDescriptionLocalizations({ fr: 'Vous seul voyez la réponse' }),
    ),

  async execute(interaction, ctx) {
    const lang = langOf(interaction.locale);
    const wait = ctx.limiter.take(interaction.user.id);
    if (wait) {
      await interaction.reply({ content: text(lang).rateLimited(ctx.settings.RATE_LIMIT_PER_MINUTE, wait), flags: MessageFlags.Ephemeral });
      return;
    }
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    // Discord allows 3 seconds before the first response: defer at once.
    await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    await answerQuestion(ctx, interactionTarget(interaction, ephemeral), interaction.options.getString('question', true), [], lang);
  },
};
