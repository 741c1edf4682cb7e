// /search query [k]: the closest passages, no answer.
import { SlashCommandBuilder } from 'discord.js';
import { fitEmbed, truncate } from '../format.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';

const EXCERPT_CHARS = 300;

export const search: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('search')
    .setNameLocalizations({ fr: 'chercher' })
    .setDescription('Show the passages closest to a query, without an answer')
    .setDescriptionLocalizations({ fr: 'Afficher les passages les plus proches d’une requête, sans réponse' })
    .addStringOption((o) =>
      o
        .setName('query')
        .setNameLocalizations({ fr: 'requete' })
        .setDescription('Words to look for')
        .setDescriptionLocalizations({ fr: 'Les mots à chercher' })
        .setRequired(true)
        .setMaxLength(500),
    )
    .addIntegerOption((o) =>
      o
        .setName('k')
        .setDescription('How many passages (1-10, default 5)')
        .setDescriptionLocalizations({ fr: 'Combien de passages (1 à 10, 5 par défaut)' })
        .setMinValue(1)
        .setMaxValue(10),
    ),

  async execute(interaction, ctx) {
    const lang = langOf(interaction.locale);
    await interaction.deferReply();
    const query = interaction.options.getString('query', true);
    const hits = await ctx.engine.search(query, interaction.options.getInteger('k') ?? 5);
    if (!hits.length) {
      await interaction.editReply({ content: text(lang).noHits });
      return;
    }
    const embed = fitEmbed({
      title: truncate(query, 200),
      fields: hits.map((h) => ({
        name: `${h.rank}. ${h.article.title}`,
        value: [
          [h.article.source, h.article.date, `score ${h.score.toFixed(3)}`].filter(Boolean).join(' · '),
          `> ${truncate(h.chunk.text.replace(/\s+/g, ' '), EXCERPT_CHARS)}`,
          h.article.url ? `<${h.article.url}>` : '',
        ]
          .filter(Boolean)
          .join('\n'),
      })),
    });
    await interaction.editReply({ embeds: [embed] });
  },
};
