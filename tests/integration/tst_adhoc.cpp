// SPDX-License-Identifier: GPL-3.0-or-later
// Ad-hoc commands (XEP-0050) against Prosody's own: the one every user may run (uptime) and the
// administration commands (XEP-0133) that only the fixture's admin account may run, several stages included.
#include "OnlineAccount.h"
#include "TestProfile.h"
#include "TestServer.h"
#include "account/Account.h"
#include "account/AccountManager.h"
#include "disco/AdHocCommand.h"
#include "disco/DiscoInfo.h"

#include <QDomDocument>
#include <QRandomGenerator>
#include <QTest>

using namespace Natter::Core;
using namespace Natter::Test;

namespace {
constexpr int NetworkTimeout = 20000;
const QString AddUser = QStringLiteral("http://jabber.org/protocol/admin#add-user");
const QString DeleteUser = QStringLiteral("http://jabber.org/protocol/admin#delete-user");

template <typename T> std::optional<T> wait(QXmppTask<T> &&task)
{
    if (!QTest::qWaitFor([&task] { return task.isFinished(); }, NetworkTimeout))
        return std::nullopt;
    return task.takeResult();
}

void setField(QXmppDataForm &form, const QString &var, const QVariant &value)
{
    for (QXmppDataForm::Field &field : form.fields())
        if (field.key() == var)
            field.setValue(value);
}

bool hasNode(const QList<CommandItem> &commands, const QString &node)
{
    return std::any_of(commands.cbegin(), commands.cend(),
                       [&node](const CommandItem &command) { return command.node == node; });
}
} // namespace

class tst_AdHoc : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyUserSeesThePublicCommandsOnly();
    void aSingleStageCommandCompletesWithANote();
    void anAdminCreatesAndDeletesAnAccountThroughForms();
    void aCommandNotAllowedIsARefusal();
    void cancellingEndsTheSession();
    void forgedAnswersAreReadSafely();

private:
    TestServer m_server;
    std::unique_ptr<Account> m_alice;
    std::unique_ptr<Account> m_admin;
};

void tst_AdHoc::initTestCase()
{
    m_server = TestServer::load();
    QVERIFY2(m_server.isValid(), qPrintable(m_server.errorString()));
    m_alice = onlineAccount(m_server, QStringLiteral("alice"));
    m_admin = onlineAccount(m_server, QStringLiteral("admin"));
    QVERIFY(m_alice && m_admin);
}

void tst_AdHoc::everyUserSeesThePublicCommandsOnly()
{
    // The server says it has commands at all.
    const auto info = wait(askDiscoInfo(m_alice->client(), this, m_server.domain));
    QVERIFY(info && isOk(*info));
    QVERIFY(std::get<DiscoInfo>(*info).hasFeature(QStringLiteral("http://jabber.org/protocol/commands")));

    const auto forAlice = wait(AdHocCommand::list(m_alice->client(), this, m_server.domain));
    QVERIFY(forAlice && isOk(*forAlice));
    const auto aliceCommands = std::get<QList<CommandItem>>(*forAlice);
    QVERIFY(hasNode(aliceCommands, QStringLiteral("uptime")));
    QVERIFY(!hasNode(aliceCommands, AddUser));
    QVERIFY(std::all_of(aliceCommands.cbegin(), aliceCommands.cend(),
                        [this](const CommandItem &command) { return command.jid == m_server.domain; }));

    const auto forAdmin = wait(AdHocCommand::list(m_admin->client(), this, m_server.domain));
    QVERIFY(forAdmin && isOk(*forAdmin));
    const auto adminCommands = std::get<QList<CommandItem>>(*forAdmin);
    QVERIFY(hasNode(adminCommands, AddUser));
    QVERIFY(hasNode(adminCommands, DeleteUser));
    QVERIFY(adminCommands.size() > aliceCommands.size());
    const auto addUser = std::find_if(adminCommands.cbegin(), adminCommands.cend(),
                                      [](const CommandItem &command) { return command.node == AddUser; });
    QVERIFY(!addUser->name.isEmpty());
}

void tst_AdHoc::aSingleStageCommandCompletesWithANote()
{
    AdHocCommand uptime(m_alice->client(), m_server.domain, QStringLiteral("uptime"));
    const auto stage = wait(uptime.execute());
    QVERIFY(stage && isOk(*stage));
    const auto &done = std::get<AdHocCommand::Stage>(*stage);
    QCOMPARE(done.status, AdHocCommand::Status::Completed);
    QCOMPARE(done.notes.size(), 1);
    QCOMPARE(done.notes.first().type, AdHocCommand::Note::Type::Info);
    QVERIFY2(done.notes.first().text.contains(QStringLiteral("running")),
             qPrintable(done.notes.first().text));
}

void tst_AdHoc::anAdminCreatesAndDeletesAnAccountThroughForms()
{
    const QString user =
        QStringLiteral("made-by-command-%1").arg(QRandomGenerator::global()->generate(), 0, 16);
    const QString jid = user + u'@' + m_server.domain;
    const QString password = QStringLiteral("Command-made-1");

    AdHocCommand addUser(m_admin->client(), m_server.domain, AddUser);
    auto stage = wait(addUser.execute());
    QVERIFY(stage && isOk(*stage));
    auto form = std::get<AdHocCommand::Stage>(*stage);
    QCOMPARE(form.status, AdHocCommand::Status::Executing);
    QVERIFY(form.form);
    QXmppDataForm answers = *form.form;
    setField(answers, QStringLiteral("accountjid"), jid);
    setField(answers, QStringLiteral("password"), password);
    setField(answers, QStringLiteral("password-verify"), password);
    stage = wait(addUser.proceed(form.defaultAction, answers));
    QVERIFY(stage && isOk(*stage));
    const auto added = std::get<AdHocCommand::Stage>(*stage);
    QCOMPARE(added.status, AdHocCommand::Status::Completed);
    QVERIFY(!added.notes.isEmpty());
    QVERIFY(added.notes.first().type != AdHocCommand::Note::Type::Error);

    // The account exists: it logs in.
    TestProfile profile;
    AccountManager manager(profile.path());
    manager.setAdditionalCaCertificates(m_server.caCertificates());
    QCOMPARE(tryLogin(manager, m_server, jid, password).code, Error::Code::None);

    AdHocCommand deleteUser(m_admin->client(), m_server.domain, DeleteUser);
    stage = wait(deleteUser.execute());
    QVERIFY(stage && isOk(*stage));
    form = std::get<AdHocCommand::Stage>(*stage);
    QVERIFY(form.form);
    answers = *form.form;
    setField(answers, QStringLiteral("accountjids"), QStringList{jid});
    stage = wait(deleteUser.proceed(form.defaultAction, answers));
    QVERIFY(stage && isOk(*stage));
    QCOMPARE(std::get<AdHocCommand::Stage>(*stage).status, AdHocCommand::Status::Completed);
    QCOMPARE(tryLogin(manager, m_server, jid, password).code, Error::Code::AuthenticationFailed);
}

void tst_AdHoc::aCommandNotAllowedIsARefusal()
{
    AdHocCommand addUser(m_alice->client(), m_server.domain, AddUser);
    const auto stage = wait(addUser.execute());
    QVERIFY(stage);
    QVERIFY(!isOk(*stage));
    QCOMPARE(errorOf(*stage).code, Error::Code::RequestRefused);
    QVERIFY2(errorOf(*stage).detail.contains(QStringLiteral("forbidden")),
             qPrintable(errorOf(*stage).detail));
}

void tst_AdHoc::cancellingEndsTheSession()
{
    AdHocCommand addUser(m_admin->client(), m_server.domain, AddUser);
    auto stage = wait(addUser.execute());
    QVERIFY(stage && isOk(*stage));
    QCOMPARE(std::get<AdHocCommand::Stage>(*stage).status, AdHocCommand::Status::Executing);
    stage = wait(addUser.cancel());
    QVERIFY(stage && isOk(*stage));
    QCOMPARE(std::get<AdHocCommand::Stage>(*stage).status, AdHocCommand::Status::Canceled);
}

void tst_AdHoc::forgedAnswersAreReadSafely()
{
    QDomDocument document;
    QVERIFY(document.setContent(
        QStringLiteral("<command xmlns='http://jabber.org/protocol/commands' status='weird' sessionid='1'>"
                       "<actions execute='explode'><launch/><next/><cancel/></actions>"
                       "<note>no type</note><note type='error'>broken</note>"
                       "<x xmlns='jabber:x:data' type='form'><field var='a' type='text-single'/></x>"
                       "<x xmlns='jabber:x:data' type='form'><field var='second'/></x></command>"),
        QDomDocument::ParseOption::UseNamespaceProcessing));
    const auto stage = AdHocCommand::Stage::fromElement(document.documentElement());
    QCOMPARE(stage.status, AdHocCommand::Status::Completed); // nothing waits for ever
    QCOMPARE(stage.actions, QList<AdHocCommand::Action>{AdHocCommand::Action::Next});
    QCOMPARE(stage.defaultAction, AdHocCommand::Action::Next);
    QCOMPARE(stage.notes.size(), 2);
    QCOMPARE(stage.notes[0].type, AdHocCommand::Note::Type::Info);
    QCOMPARE(stage.notes[1].type, AdHocCommand::Note::Type::Error);
    QVERIFY(stage.form);
    QCOMPARE(stage.form->fields().size(), 1); // the first form only
}

QTEST_GUILESS_MAIN(tst_AdHoc)
#include "tst_adhoc.moc"
