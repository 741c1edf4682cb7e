// /sources: the indexed articles, ten a page, with Previous/Next buttons.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle, SlashCommandBuilder } from 'discord.js';
import type { ArticleMeta, Lang } from '../../types.js';
import type { BotContext } from '../context.js';
import { fitEmbed, truncate } from '../format.js';
import { langOf, text } from '../text.js';
import type { SlashCommand } from './command.js';

export const PAGE_SIZE = 10;

function page(articles: ArticleMeta[], n: number, lang: Lang) {
  const pages = Math.max(1, Math.ceil(articles.length / PAGE_SIZE));
  const current = Math.min(Math.max(0, n), pages - 1);
  const lines = articles
    .slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE)
    .map((a, i) => `**${current * PAGE_SIZE + i + 1}.** ${truncate(a.title, 180)} — ${[a.source, a.date, a.lang].filter(Boolean).join(', ')}`);
  const embed = fitEmbed({ title: 'Sources', description: lines.join('\n'), footer: { text: text(lang).page(current + 1, pages, articles.length) } });
  const components =
    pages > 1
      ? [
          new ActionRowBuilder<ButtonBuilder>().addComponents(
            new ButtonBuilder().setCustomId(`sources:${current - 1}`).setLabel(text(lang).previous).setStyle(ButtonStyle.Secondary).setDisabled(current === 0),
            new ButtonBuilder().setCustomId(`sources:${current + 1}`).setLabel(text(lang).next).setStyle(ButtonStyle.Secondary).setDisabled(current === pages - 1),
          ),
        ]
      : [];
  return { embeds: [embed], components };
}

async function render(ctx: BotContext, n: number, lang: Lang) {
  const articles = await ctx.engine.listArticles();
  if (!articles.length) return { content: text(lang).noArticles, embeds: [], components: [] };
  return page(articles, n, lang);
}

export const sources: SlashCommand = {
  data: new SlashCommandBuilder()
    .setName('sources')
    .setNameLocalizations({ fr: 'sources' })
    .setDescription('List the indexed articles')
    .setDescriptionLocalizations({ fr: 'Lister les articles indexés' }),

  async execute(interaction, ctx) {
    await interaction.reply(await render(ctx, 0, langOf(interaction.locale)));
  },

  async button(interaction, ctx) {
    const n = Number(interaction.customId.split(':')[1]);
    await interaction.update(await render(ctx, Number.isInteger(n) ? n : 0, langOf(interaction.locale)));
  },
};
